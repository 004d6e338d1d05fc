/**
 * A read cache of rows for the embedded store, where this process is the only writer. Reads go
 * through `reader(repo)`: Get by id, and List as the page's ids from the index followed by the
 * rows from the cache (misses in one query) — turning 100 rows into JS values is most of a
 * List's cost. Writes through `writer(repo)` note the ids they touch, and the store calls
 * `evictTouched()` right after COMMIT or ROLLBACK, in the same tick — so a read that cached the
 * old row while the transaction was open is evicted before any read can see it again. Cached
 * rows are frozen: callers derive new objects, never change these.
 *
 *   const cache = new RowCache(DESKTOP_IMAGES, 10_000);
 *   readRepos.desktopImages = cache.reader(readRepos.desktopImages);
 */
import type { ListQuery, Page } from '../../domain/listing/list-query.js';
import { keysetOf } from '../sql/list-query.js';
import type { SqlRepo } from '../sql/sql-repo.js';
import type { SqlTable } from '../sql/table.js';

export class RowCache<T extends { id: string }> {
  private readonly rows = new Map<string, T>();
  private readonly touched = new Set<string>();

  constructor(private readonly table: SqlTable<T>, private readonly max: number) {}

  reader<R extends SqlRepo<T>>(repo: R): R {
    return Object.assign(Object.create(repo) as R, {
      get: async (id: string) => {
        const hit = this.rows.get(id);
        if (hit) return hit;
        const row = await repo.get(id);
        if (row) this.remember(row);
        return row;
      },
      list: (q: ListQuery) => this.list(repo, q),
    });
  }

  writer<R extends SqlRepo<T>>(repo: R): R {
    const touch = (id: string) => this.touched.add(id);
    return Object.assign(Object.create(repo) as R, {
      insert: (row: T) => (touch(row.id), repo.insert(row)),
      update: (row: T) => (touch(row.id), repo.update(row)),
      delete: (id: string) => (touch(id), repo.delete(id)),
    });
  }

  /** After a whole-database change (emulator reset or restore). */
  clear(): void {
    this.rows.clear();
    this.touched.clear();
  }

  evictTouched(): void {
    for (const id of this.touched) this.rows.delete(id);
    this.touched.clear();
  }

  private async list(repo: SqlRepo<T>, q: ListQuery): Promise<Page<T>> {
    const { ids, more } = await repo.listIds(q);
    // Hits are taken before misses are added: adding may evict older entries.
    const found = new Map<string, T>();
    for (const id of ids) {
      const hit = this.rows.get(id);
      if (hit) found.set(id, hit);
    }
    for (const row of await repo.getMany(ids.filter((id) => !found.has(id)))) {
      this.remember(row);
      found.set(row.id, row);
    }
    // A row deleted between the two queries is skipped; the page then ends at the row before.
    const items = ids.flatMap((id) => found.get(id) ?? []);
    if (items.length === 0 && more) return repo.list(q); // every row of the page just went: no position to go on from
    const last = items[items.length - 1];
    return more && last ? { items, last: keysetOf(this.table, q.order, last) } : { items };
  }

  private remember(row: T): void {
    if (this.rows.size >= this.max) this.rows.delete(this.rows.keys().next().value!);
    for (const v of Object.values(row) as unknown[]) if (v && typeof v === 'object' && !(v instanceof Date)) Object.freeze(v);
    this.rows.set(row.id, Object.freeze(row));
  }
}
