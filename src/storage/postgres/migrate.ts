/**
 * Applies the parts' migration tracks to a PostgreSQL database (the same tracks and
 * `schema_steps` table as the embedded store, in the `postgres` dialect). Replicas that start
 * together take turns: the whole run holds a session advisory lock, so one applies the steps
 * and the others then find nothing pending. Each step commits on its own with its record.
 *
 *   await migrate(pool, PARTS.map((p) => p.storage));
 */
import type pg from 'pg';
import { pendingSteps, statementsFor, stepKey, STEPS_TABLE, type MigrationTrack } from '../sql/migrations.js';
import { loggers } from '../../logger.js';

/** Advisory lock key of schema changes: "clouddesk" as a number, shared by every replica. */
const MIGRATION_LOCK = 0x636c6f7564;

export async function migrate(pool: pg.Pool, tracks: readonly MigrationTrack[]): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(STEPS_TABLE);
      const { rows } = await client.query<{ track: string; version: string | number }>('SELECT track, version FROM schema_steps');
      const applied = new Set(rows.map((r) => stepKey(r.track, Number(r.version))));
      for (const { track, migration: m } of pendingSteps(tracks, applied)) {
        await client.query('BEGIN');
        try {
          for (const sql of statementsFor(m, 'postgres')) await client.query(sql);
          await client.query('INSERT INTO schema_steps (track, version, name, applied_at) VALUES ($1, $2, $3, $4)', [
            track, m.version, m.name, Date.now(),
          ]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw new Error(`migration ${track}/${m.version} (${m.name}) failed: ${(err as Error).message}`, { cause: err });
        }
        loggers.store.info({ track, version: m.version, name: m.name }, 'migration applied');
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } catch (err) {
    broken = err as Error;
    throw err;
  } finally {
    // A client whose session may still hold the lock is closed, never returned to the pool.
    client.release(broken);
  }
}
