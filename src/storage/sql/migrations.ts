/**
 * Versioned schema migrations, one track per part of the system (as Django keeps one per app):
 * each part's folder holds the steps of its own tables, numbered from 1, and the store applies
 * what is missing at start-up, track by track in the order of the parts list, each step in one
 * transaction, remembered in `schema_steps`. The DDL is written to run unchanged on SQLite and
 * PostgreSQL (BIGINT, TEXT, partial indexes); a statement that cannot be shared gives one text
 * per dialect.
 *
 *   const steps = pendingSteps(parts, applied);   // [{ track, migration }, ...]
 */
export type Dialect = 'sqlite' | 'postgres';
export type Statement = string | Record<Dialect, string>;

export interface Migration {
  version: number;
  name: string;
  sql: Statement[];
}

export interface MigrationTrack {
  readonly track: string;
  readonly migrations: readonly Migration[];
}

export interface Step {
  track: string;
  migration: Migration;
}

export function statementsFor(m: Migration, dialect: Dialect): string[] {
  return m.sql.map((s) => (typeof s === 'string' ? s : s[dialect]));
}

export const STEPS_TABLE = `CREATE TABLE IF NOT EXISTS schema_steps (
  track TEXT NOT NULL,
  version BIGINT NOT NULL,
  name TEXT NOT NULL,
  applied_at BIGINT NOT NULL,
  PRIMARY KEY (track, version)
)`;

export const stepKey = (track: string, version: number): string => `${track}/${version}`;

/** The steps not yet applied, in order. */
export function pendingSteps(tracks: readonly MigrationTrack[], applied: ReadonlySet<string>): Step[] {
  const out: Step[] = [];
  for (const t of tracks) {
    for (const m of [...t.migrations].sort((a, b) => a.version - b.version)) {
      if (!applied.has(stepKey(t.track, m.version))) out.push({ track: t.track, migration: m });
    }
  }
  return out;
}

/** Tables of older schemas that a current database no longer has (superseded by `schema_steps`). */
export const LEGACY_TABLES: readonly string[] = ['schema_migrations'];

/**
 * Before tracks, one global version list created several parts' tables per step. A database
 * from then has `schema_migrations` rows; these are the track steps each of them stands for.
 */
export const LEGACY_VERSIONS: Readonly<Record<number, readonly [track: string, version: number][]>> = {
  1: [['operation', 1], ['desktop-image', 1], ['compute-image', 1], ['listing', 1]],
  2: [['service-account', 1], ['key', 1], ['iam-token', 1], ['access-binding', 1]],
  3: [['audit', 1], ['idempotency', 1]],
};
