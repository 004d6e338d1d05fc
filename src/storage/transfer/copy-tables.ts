/**
 * Copies every table of an embedded (SQLite) database into a PostgreSQL one whose schema the
 * same migration tracks made, for `clouddesk migrate`. Nothing here names a table: the list is
 * whatever the SQLite schema holds, in the order its tables were created (migration order), and
 * each table is copied column by column, as stored — so tables without a SqlTable definition
 * (the audit outbox, idempotency keys, page cursors, owner side tables, `schema_steps`) come
 * along like the rest. Rows are upserted by primary key, so a second run changes nothing and
 * an interrupted one can simply run again; serial counters are moved past the copied keys.
 *
 *   const copied = await copyTables(sqlite, pool);          // [{ table, rows }, ...]
 *   const wrong = await compareCounts(sqlite, pool);        // [] when every count matches
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { sourceTables } from '../sqlite/sqlite-store.js';

/** Rows per INSERT statement (PostgreSQL allows 65 535 parameters per statement). */
const BATCH_ROWS = 500;

export interface TableCount {
  readonly table: string;
  readonly rows: number;
}

export interface CountMismatch {
  readonly table: string;
  readonly source: number;
  readonly target: number;
}

interface ColumnInfo {
  name: string;
  pk: number;
}

const q = (name: string): string => `"${name.replaceAll('"', '""')}"`;

async function targetColumns(pool: pg.Pool, table: string): Promise<Set<string>> {
  const { rows } = await pool.query<{ column_name: string }>(
    'SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1', [table],
  );
  return new Set(rows.map((r) => r.column_name));
}

/** Checks that the target has the table with every column the source has (same migrations). */
async function columnsOf(source: Database.Database, pool: pg.Pool, table: string): Promise<ColumnInfo[]> {
  const columns = source.prepare(`SELECT name, pk FROM pragma_table_info(?)`).all(table) as ColumnInfo[];
  const target = await targetColumns(pool, table);
  if (target.size === 0) throw new Error(`table ${table} is missing in the target database (is it migrated by a different version?)`);
  const missing = columns.filter((c) => !target.has(c.name)).map((c) => c.name);
  if (missing.length > 0) throw new Error(`table ${table} in the target database lacks column(s) ${missing.join(', ')}`);
  if (!columns.some((c) => c.pk > 0)) throw new Error(`table ${table} has no primary key; rows could not be copied idempotently`);
  return columns;
}

function upsertSql(table: string, columns: ColumnInfo[], rows: number): string {
  const names = columns.map((c) => q(c.name));
  const keys = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => q(c.name));
  const rest = columns.filter((c) => c.pk === 0).map((c) => q(c.name));
  const tuples = Array.from({ length: rows }, (_, r) => `(${names.map((_, i) => `$${r * names.length + i + 1}`).join(', ')})`);
  const onConflict = rest.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${rest.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`;
  return `INSERT INTO ${q(table)} (${names.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (${keys.join(', ')}) ${onConflict}`;
}

/** SQLite values as node-postgres sends them: 64-bit integers as text, so none loses precision. */
const toPg = (v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : v);

async function copyTable(source: Database.Database, pool: pg.Pool, table: string): Promise<number> {
  const columns = await columnsOf(source, pool, table);
  const select = source.prepare(`SELECT ${columns.map((c) => q(c.name)).join(', ')} FROM ${q(table)}`).raw(true).safeIntegers(true);
  const client = await pool.connect();
  let copied = 0;
  try {
    await client.query('BEGIN');
    let batch: unknown[][] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      await client.query(upsertSql(table, columns, batch.length), batch.flat().map(toPg));
      copied += batch.length;
      batch = [];
    };
    // The source is a stopped server's file: iterating while awaiting is safe.
    for (const row of select.iterate() as IterableIterator<unknown[]>) {
      batch.push(row);
      if (batch.length === BATCH_ROWS) await flush();
    }
    await flush();
    await bumpSerials(client, table);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new Error(`copying table ${table} failed: ${(err as Error).message}`, { cause: err });
  } finally {
    client.release();
  }
  return copied;
}

/** A serial column (the audit outbox's seq) continues after the largest copied value. */
async function bumpSerials(client: pg.PoolClient, table: string): Promise<void> {
  const { rows } = await client.query<{ column_name: string; seq: string | null }>(
    `SELECT column_name, pg_get_serial_sequence(quote_ident($1), column_name) AS seq
       FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`, [table],
  );
  for (const { column_name: col, seq } of rows) {
    if (!seq) continue;
    await client.query(`SELECT setval($1, GREATEST((SELECT COALESCE(MAX(${q(col)}), 0) FROM ${q(table)}), (SELECT last_value FROM ${seq})), true)`, [seq]);
  }
}

/** Copies every table, in creation order; returns how many rows each had. */
export async function copyTables(source: Database.Database, pool: pg.Pool, onTable?: (t: TableCount) => void): Promise<TableCount[]> {
  const out: TableCount[] = [];
  for (const table of sourceTables(source)) {
    const count = { table, rows: await copyTable(source, pool, table) };
    onTable?.(count);
    out.push(count);
  }
  return out;
}

/** Row counts that differ between the source and the target, table by table. */
export async function compareCounts(source: Database.Database, pool: pg.Pool): Promise<CountMismatch[]> {
  const out: CountMismatch[] = [];
  for (const table of sourceTables(source)) {
    const s = (source.prepare(`SELECT COUNT(*) AS n FROM ${q(table)}`).get() as { n: number }).n;
    const { rows } = await pool.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${q(table)}`);
    const t = Number(rows[0]?.n ?? 0);
    if (s !== t) out.push({ table, source: s, target: t });
  }
  return out;
}
