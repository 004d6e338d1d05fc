/**
 * The repository operations every resource table has, written once over its table definition:
 * get by key, several by key, insert, update of the mutable columns, delete, and the keyset
 * List (whole rows, or only the ids of a page for caches). A resource's repository extends it
 * with its own queries.
 *
 *   export class SqlDesktopImageRepo extends SqlRepo<DesktopImage> implements DesktopImageRepo {
 *     constructor(db: SqlExecutor) { super(db, DESKTOP_IMAGES); }
 *     async countInFolder(folderId: string) { ... }
 *   }
 */
import type { ListQuery, Page } from '../../domain/listing/list-query.js';
import type { SqlExecutor } from './executor.js';
import { buildListQuery, queryPage } from './list-query.js';
import type { SqlTable } from './table.js';

export class SqlRepo<T> {
  constructor(protected readonly db: SqlExecutor, protected readonly table: SqlTable<T>) {}

  async get(id: string): Promise<T | undefined> {
    const row = await this.db.get<Record<string, unknown>>(`SELECT * FROM ${this.table.name} WHERE ${this.table.col(this.table.key)} = ?`, [id]);
    return row && this.table.fromRow(row);
  }

  async getMany(ids: readonly string[]): Promise<T[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.all<Record<string, unknown>>(
      `SELECT * FROM ${this.table.name} WHERE ${this.table.col(this.table.key)} IN (${ids.map(() => '?').join(', ')})`,
      [...ids],
    );
    return rows.map((r) => this.table.fromRow(r));
  }

  async insert(entity: T): Promise<void> {
    await this.db.run(this.table.insertSql, this.table.insertValues(entity));
  }

  /** Replaces the mutable columns; false when the row is gone. */
  async update(entity: T): Promise<boolean> {
    return (await this.db.run(this.table.updateSql, this.table.updateValues(entity))) > 0;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db.run(`DELETE FROM ${this.table.name} WHERE ${this.table.col(this.table.key)} = ?`, [id])) > 0;
  }

  list(q: ListQuery): Promise<Page<T>> {
    return queryPage(this.db, this.table, q);
  }

  /** The ids of one page (and whether more follow), from the index alone. */
  async listIds(q: ListQuery): Promise<{ ids: string[]; more: boolean }> {
    const key = this.table.col(this.table.key);
    const { sql, params } = buildListQuery(this.table, q, key);
    const ids = await this.db.column<string>(sql, params);
    return ids.length > q.limit ? { ids: ids.slice(0, q.limit), more: true } : { ids, more: false };
  }

  /** First row of the folder whose column equals `value` (names unique per folder). */
  protected async findInFolder(folderId: string, prop: keyof T & string, value: string): Promise<T | undefined> {
    const row = await this.db.get<Record<string, unknown>>(
      `SELECT * FROM ${this.table.name} WHERE ${this.table.col('folderId' as keyof T & string)} = ? AND ${this.table.col(prop)} = ?`,
      [folderId, value],
    );
    return row && this.table.fromRow(row);
  }
}
