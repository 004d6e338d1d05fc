/**
 * The audit outbox, shared by the SQLite and PostgreSQL stores. `audit_outbox` holds each
 * event once, ordered by `seq`; `audit_pending` has one row per (event, sink) until that sink
 * has it; `audit_started` keeps the STARTED event of each unfinished operation.
 */
import type { AuditEvent } from '../../domain/audit/event.js';
import type { AuditOutboxRepo } from '../../domain/audit/outbox.js';
import type { SqlExecutor } from './executor.js';
import { defineStorage } from './storage-part.js';

/** Events one DELETE marks delivered (well under every engine's bound on parameters). */
const DELETE_CHUNK = 100;

export class SqlAuditOutboxRepo implements AuditOutboxRepo {
  constructor(private readonly db: SqlExecutor) {}

  async append(json: string, eventId: string, operationId: string, sinks: readonly string[], at: Date): Promise<void> {
    const row = await this.db.get<{ seq: number }>('INSERT INTO audit_outbox (event_id, operation_id, created_at, event) VALUES (?, ?, ?, ?) RETURNING seq', [
      eventId, operationId, at.getTime(), json,
    ]);
    for (const sink of sinks) {
      await this.db.run('INSERT INTO audit_pending (sink, seq) VALUES (?, ?)', [sink, Number(row!.seq)]);
    }
  }

  async pending(sink: string, limit: number): Promise<{ seq: number; json: string }[]> {
    const rows = await this.db.all<{ seq: number; event: string }>(
      `SELECT o.seq, o.event FROM audit_pending p JOIN audit_outbox o ON o.seq = p.seq
       WHERE p.sink = ? ORDER BY p.seq LIMIT ?`,
      [sink, limit],
    );
    return rows.map((r) => ({ seq: Number(r.seq), json: r.event }));
  }

  async markDelivered(sink: string, seqs: readonly number[]): Promise<void> {
    // One statement per chunk, not one per event (a busy server delivers events by the hundred).
    for (let i = 0; i < seqs.length; i += DELETE_CHUNK) {
      const part = seqs.slice(i, i + DELETE_CHUNK);
      await this.db.run(`DELETE FROM audit_pending WHERE sink = ? AND seq IN (${part.map(() => '?').join(', ')})`, [sink, ...part]);
    }
  }

  async pendingBySink(): Promise<Record<string, number>> {
    const rows = await this.db.all<{ sink: string; n: number }>('SELECT sink, COUNT(*) AS n FROM audit_pending GROUP BY sink');
    return Object.fromEntries(rows.map((r) => [r.sink, Number(r.n)]));
  }

  async prune(before: Date): Promise<number> {
    return this.db.run(
      `DELETE FROM audit_outbox WHERE created_at < ?
       AND NOT EXISTS (SELECT 1 FROM audit_pending p WHERE p.seq = audit_outbox.seq)`,
      [before.getTime()],
    );
  }

  async saveStarted(operationId: string, event: AuditEvent): Promise<void> {
    await this.db.run('INSERT INTO audit_started (operation_id, event) VALUES (?, ?)', [operationId, JSON.stringify(event)]);
  }

  async takeStarted(operationId: string): Promise<AuditEvent | undefined> {
    const row = await this.db.get<{ event: string }>('SELECT event FROM audit_started WHERE operation_id = ?', [operationId]);
    if (!row) return undefined;
    await this.db.run('DELETE FROM audit_started WHERE operation_id = ?', [operationId]);
    return JSON.parse(row.event) as AuditEvent;
  }
}

export const auditStorage = defineStorage({
  track: 'audit',
  migrations: [
    {
      version: 1,
      name: 'audit outbox',
      sql: [
        {
          sqlite: `CREATE TABLE audit_outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL UNIQUE,
            operation_id TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            event TEXT NOT NULL
          )`,
          postgres: `CREATE TABLE audit_outbox (
            seq BIGSERIAL PRIMARY KEY,
            event_id TEXT NOT NULL UNIQUE,
            operation_id TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            event TEXT NOT NULL
          )`,
        },
        'CREATE INDEX audit_outbox_created ON audit_outbox (created_at)',
        `CREATE TABLE audit_pending (
          sink TEXT NOT NULL,
          seq BIGINT NOT NULL,
          PRIMARY KEY (sink, seq)
        )`,
        'CREATE INDEX audit_pending_seq ON audit_pending (seq)',
        'CREATE TABLE audit_started (operation_id TEXT PRIMARY KEY, event TEXT NOT NULL)',
      ],
    },
  ],
  repos: (db) => ({ auditOutbox: new SqlAuditOutboxRepo(db) }),
});
