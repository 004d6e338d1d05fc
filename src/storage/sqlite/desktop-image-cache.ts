/**
 * A read cache of desktop image rows for the embedded store, where this process is the only
 * writer. Reads go through `reader(repo)`: Get by id, and List as the page's ids from the index
 * followed by the rows from the cache (misses in one query) — turning 100 rows into JS values
 * is most of a List's cost. Writes through `writer(repo)` note the ids they touch,
 * and the store calls `evictTouched()` right after COMMIT or ROLLBACK, in the same tick — so a
 * read that cached the old row while the transaction was open is evicted before any read can
 * see it again. Cached rows are frozen: callers derive new objects, never change these.
 *
 *   const cache = new DesktopImageCache(10_000);
 *   repos.desktopImages = cache.reader(repos.desktopImages);
 */
import type { DesktopImage } from '../../domain/desktop-image/desktop-image.js';
import type { DesktopImageRepo, ListQuery, Page } from '../store.js';
import { DESKTOP_IMAGE_FIELDS, type SqlDesktopImageRepo } from '../sql/desktop-images.js';
import { keysetOf } from '../sql/list-query.js';

export class DesktopImageCache {
  private readonly rows = new Map<string, DesktopImage>();
  private readonly touched = new Set<string>();

  constructor(private readonly max: number) {}

  reader(repo: SqlDesktopImageRepo): DesktopImageRepo {
    return Object.assign(Object.create(repo) as DesktopImageRepo, {
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

  private async list(repo: SqlDesktopImageRepo, q: ListQuery): Promise<Page<DesktopImage>> {
    const { ids, more } = await repo.listIds(q);
    // Hits are taken before misses are added: adding may evict older entries.
    const found = new Map<string, DesktopImage>();
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
    return more && last ? { items, last: keysetOf(DESKTOP_IMAGE_FIELDS, q.order, last) } : { items };
  }

  writer(repo: DesktopImageRepo): DesktopImageRepo {
    const touch = (id: string) => this.touched.add(id);
    return Object.assign(Object.create(repo) as DesktopImageRepo, {
      insert: (image: DesktopImage) => (touch(image.id), repo.insert(image)),
      update: (image: DesktopImage) => (touch(image.id), repo.update(image)),
      delete: (id: string) => (touch(id), repo.delete(id)),
    });
  }

  evictTouched(): void {
    for (const id of this.touched) this.rows.delete(id);
    this.touched.clear();
  }

  private remember(row: DesktopImage): void {
    if (this.rows.size >= this.max) this.rows.delete(this.rows.keys().next().value!);
    Object.freeze(row.labels);
    this.rows.set(row.id, Object.freeze(row));
  }
}
