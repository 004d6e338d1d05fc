/**
 * The shared repositories' SQL surface over node-postgres: `?` placeholders become `$1, $2, ...`
 * (outside quoted text), and BIGINT/NUMERIC results come back as JS numbers, as on SQLite. The
 * executor runs on the pool (each statement on its own, seeing committed data) or on the one
 * client of a transaction.
 *
 *   const db = new PgExecutor(client);
 *   await db.get('SELECT * FROM operations WHERE id = ?', [id]);
 */
import pg from 'pg';
import type { SqlExecutor, SqlValue } from '../sql/executor.js';

/** int8 (COUNT, BIGINT columns) and numeric (SUM of BIGINT): as on SQLite, plain numbers. */
const INT8 = 20;
const NUMERIC = 1700;

function toNumber(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) && Number.isInteger(n)) throw new RangeError(`integer ${text} is beyond 2^53 and cannot be read exactly`);
  return n;
}

/** Per-pool type parsers, so the process-wide `pg.types` table stays untouched. */
export const PG_TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return toNumber;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

const rewritten = new Map<string, string>();
/** Texts vary only with the number of `IN (...)` values and filters, so this is plenty. */
const REWRITTEN_MAX = 2_000;

/** `?` → `$n`, skipping quoted literals and identifiers; cached, as the texts are few. */
export function toPgPlaceholders(sql: string): string {
  let out = rewritten.get(sql);
  if (out !== undefined) return out;
  let n = 0;
  out = sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\?/g, (m) => (m === '?' ? `$${++n}` : m));
  if (rewritten.size >= REWRITTEN_MAX) rewritten.clear();
  rewritten.set(sql, out);
  return out;
}

/** A pool or one pooled client. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
}

export class PgExecutor implements SqlExecutor {
  readonly dialect = 'postgres';
  /** The first error a statement raised; a PostgreSQL transaction is dead after it. */
  failure: unknown;
  /** Notices of this transaction, delivered in this process after its COMMIT. */
  readonly notices: [topic: string, payload: string][] = [];

  constructor(private readonly db: Queryable) {}

  private async query(sql: string, params: SqlValue[]): Promise<pg.QueryResult> {
    try {
      return await this.db.query(toPgPlaceholders(sql), params);
    } catch (err) {
      this.failure ??= err;
      throw err;
    }
  }

  async all<T>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    return (await this.query(sql, params)).rows as T[];
  }

  async get<T>(sql: string, params: SqlValue[] = []): Promise<T | undefined> {
    return (await this.query(sql, params)).rows[0] as T | undefined;
  }

  async column<T>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    const { rows, fields } = await this.query(sql, params);
    const name = fields[0]!.name;
    return rows.map((r: Record<string, unknown>) => r[name] as T);
  }

  async run(sql: string, params: SqlValue[] = []): Promise<number> {
    return (await this.query(sql, params)).rowCount ?? 0;
  }
  notice(topic: string, payload: string): void {
    this.notices.push([topic, payload]);
  }

}
