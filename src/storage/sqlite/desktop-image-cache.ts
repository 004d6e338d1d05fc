/**
 * A read cache of desktop image rows for the embedded store, where this process is the only
 * writer. Reads go through `reader(repo)`; writes through `writer(repo)` note the ids they touch,
 * and the store calls `evictTouched()` right after COMMIT or ROLLBACK, in the same tick — so a
 * read that cached the old row while the transaction was open is evicted before any read can
 * see it again. Cached rows are frozen: callers derive new objects, never change these.
 *
 *   const cache = new DesktopImageCache(10_000);
 *   repos.desktopImages = cache.reader(repos.desktopImages);
 */
import type { DesktopImage } from '../../domain/desktop-image/desktop-image.js';
import type { DesktopImageRepo } from '../store.js';

export class DesktopImageCache {
  private readonly rows = new Map<string, DesktopImage>();
  private readonly touched = new Set<string>();

  constructor(private readonly max: number) {}

  reader(repo: DesktopImageRepo): DesktopImageRepo {
    return Object.assign(Object.create(repo) as DesktopImageRepo, {
      get: async (id: string) => {
        const hit = this.rows.get(id);
        if (hit) return hit;
        const row = await repo.get(id);
        if (row) this.remember(row);
        return row;
      },
    });
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
