/**
 * The narrow SQL surface the shared repositories need. Placeholders are `?`; the PostgreSQL
 * executor rewrites them to `$n`. Integers come back as JS numbers in both.
 */
export type SqlValue = string | number | bigint | null | Uint8Array;

export interface SqlExecutor {
  /** For the few statements the two dialects spell differently (row locks). */
  readonly dialect: 'sqlite' | 'postgres';
  all<T = Record<string, unknown>>(sql: string, params?: SqlValue[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: SqlValue[]): Promise<T | undefined>;
  /** Returns the number of changed rows. */
  run(sql: string, params?: SqlValue[]): Promise<number>;
}
