/**
 * The narrow SQL surface the shared repositories need. Placeholders are `?`; the PostgreSQL
 * executor rewrites them to `$n`. Integers come back as JS numbers in both.
 */
export type SqlValue = string | number | bigint | null | Uint8Array;

/** Receives the notices of committed transactions (a store's `onNotice`). */
export type NoticeListener = (topic: string, payload: string) => void;

export interface SqlExecutor {
  /** For the few statements the two dialects spell differently (row locks). */
  readonly dialect: 'sqlite' | 'postgres';
  all<T = Record<string, unknown>>(sql: string, params?: SqlValue[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: SqlValue[]): Promise<T | undefined>;
  /** The first column of every row (a page's ids): no object per row. */
  column<T = unknown>(sql: string, params?: SqlValue[]): Promise<T[]>;
  /** Returns the number of changed rows. */
  run(sql: string, params?: SqlValue[]): Promise<number>;
  /**
   * Queues a change notice that the store delivers to this process's change feed when (and
   * only if) the transaction commits (the rows of `tx.clusterNotices`).
   */
  notice(topic: string, payload: string): void;
}
