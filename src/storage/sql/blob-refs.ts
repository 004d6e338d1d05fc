/** Which blobs are still referenced, over every table that declares blob columns. */
import type { BlobRefRepo } from '../../domain/blobs/blob-refs.js';
import type { SqlExecutor } from './executor.js';
import type { AnyTable } from './storage-part.js';

export class SqlBlobRefRepo implements BlobRefRepo {
  private readonly columns: { table: string; column: string }[];

  constructor(private readonly db: SqlExecutor, tables: readonly AnyTable[]) {
    this.columns = tables.flatMap((t) => t.blobColumns().map((column) => ({ table: t.name, column })));
  }

  async isReferenced(sha256: string): Promise<boolean> {
    if (this.columns.length === 0) return false;
    const sql = this.columns.map((c) => `SELECT 1 AS x FROM ${c.table} WHERE ${c.column} = ?`).join(' UNION ALL ');
    const row = await this.db.get(`${sql} LIMIT 1`, this.columns.map(() => sha256));
    return row !== undefined;
  }

  async allReferenced(): Promise<Set<string>> {
    if (this.columns.length === 0) return new Set();
    const sql = this.columns.map((c) => `SELECT ${c.column} AS sha FROM ${c.table} WHERE ${c.column} IS NOT NULL`).join(' UNION ');
    const rows = await this.db.all<{ sha: string }>(sql);
    return new Set(rows.map((r) => r.sha));
  }
}
