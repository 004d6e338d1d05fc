/**
 * A read cache of rows for the embedded store, where this process is the only writer. Reads go
 * through `reader(repo)`: Get by id, and List as the page's ids from the index followed by the
 * rows from the cache (misses in one query) — turning 100 rows into JS values is most of a
 * List's cost. Writes through `writer(repo)` note the ids they touch, and the store calls
 * `evictTouched()` right after COMMIT or ROLLBACK, in the same tick — so a read that cached the
 * old row while the transaction was open is evicted before any read can see it again. Cached
 * rows are frozen: callers derive new objects, never change these.
 *
 * A row a List misses enters on its second miss (seenBefore), so a walk through a folder bigger
 * than the cache does not push the hot rows out; a Get's row enters at once.
 *
 * The ids of a List page are cached too, by query: a List repeated while nothing changes (a
 * console or a script polling) runs no SQL. A change that commits or rolls back drops the pages
 * of its row's folder (the query's parent: `folderId`, or `parentProperty`), before and after
 * the change, as only those can hold the row; a write in one folder leaves the pages of the
 * others. A row's state before an update or a delete is known when it was read in the same
 * write transaction or is in the cache; when it is not, the change drops every page. Pages take
 * at most an eighth of the bound, oldest out first. A read that began before any change took
 * effect is not cached after it (`version`).
 *
 * A page whose rows were all cached is also kept as built, frozen: the same query then gets the
 * same Page object back, and the layers above reuse what they made of it (its page token, its
 * wire message and that message's encodings). Its rows stay valid as long as the page does,
 * since any change to the table drops every page; they count against the page share again
 * (with the page's own encodings), even if the row cache holds them too.
 *
 * The cache is bounded in bytes (`--row-cache-bytes`) and evicts by CLOCK (second chance), an
 * approximation of least recently used whose hit only sets a flag: a List hits 100 rows, and
 * moving each to the end of the Map was a tenth of its time. A row's size
 * is an estimate of what V8 holds for it (rowBytes), so the bound holds RSS, not a row count
 * whose cost depends on how long names, descriptions and labels are.
 *
 *   const cache = new RowCache(DESKTOP_IMAGES, 32 * 1024 ** 2);
 *   readRepos.desktopImages = cache.reader(readRepos.desktopImages);
 */
import type { ListQuery, Page } from '../../domain/listing/list-query.js';
import { keysetOf } from '../sql/list-query.js';
import type { SqlRepo } from '../sql/sql-repo.js';
import type { SqlTable } from '../sql/table.js';

export class RowCache<T extends { id: string }> {
  /** In insertion order; eviction looks from the front and spares (moves back) a row used since. */
  private readonly rows = new Map<string, { row: T; bytes: number; used: boolean }>();
  private readonly touched = new Set<string>();
  /** Ids a List missed once, oldest first (see seenBefore). */
  private readonly seen = new Set<string>();
  private readonly ghosts: number;
  private used = 0;
  /** Page ids by query (JSON of the ListQuery), oldest first. */
  private readonly pages = new Map<string, PageEntry<T>>();
  /** The keys of the pages of each parent (parentKey), to drop a folder's pages. */
  private readonly pagesOf = new Map<string, Set<string>>();
  /** The properties the cached pages' parents are named by (`folderId`, a `parentProperty`). */
  private readonly parentProperties = new Set<string>();
  private pageBytes = 0;
  /** Rows read or written by the write transactions since the last evictTouched, by id. */
  private readonly known = new Map<string, T>();
  /** The touched rows as they were before and after their changes: their parents lose their pages. */
  private readonly moved: T[] = [];
  /** A touched row's state before its change is unknown: every page goes. */
  private movedUnknown = false;
  /** Bumped when a change takes effect: a read that began before it must not be cached after it. */
  private version = 0;

  constructor(private readonly table: SqlTable<T>, private readonly maxBytes: number) {
    this.ghosts = Math.floor(maxBytes / GHOST_BYTES_PER_ENTRY);
  }

  /** Estimated bytes held (rows and pages), for tests and the bench. */
  get bytes(): number {
    return this.used + this.pageBytes;
  }

  get size(): number {
    return this.rows.size;
  }

  reader<R extends SqlRepo<T>>(repo: R): R {
    return Object.assign(Object.create(repo) as R, {
      get: async (id: string) => {
        const hit = this.hit(id);
        if (hit) return hit;
        const version = this.version;
        const row = await repo.get(id);
        if (row && version === this.version) this.remember(row);
        return row;
      },
      list: (q: ListQuery) => this.list(repo, q),
    });
  }

  writer<R extends SqlRepo<T>>(repo: R): R {
    return Object.assign(Object.create(repo) as R, {
      get: async (id: string) => {
        const row = await repo.get(id);
        if (row) this.known.set(id, row);
        return row;
      },
      insert: (row: T) => (this.touch(row.id, row, true), repo.insert(row)),
      update: (row: T) => (this.touch(row.id, row, false), repo.update(row)),
      delete: (id: string) => (this.touch(id, undefined, false), repo.delete(id)),
    });
  }

  /** Notes a write: the row's id, and its state before (known or cached) and after. */
  private touch(id: string, after: T | undefined, inserted: boolean): void {
    this.touched.add(id);
    const before = this.known.get(id) ?? this.rows.get(id)?.row;
    if (before) this.moved.push(before);
    else if (!inserted) this.movedUnknown = true;
    if (after) {
      this.moved.push(after);
      this.known.set(id, after);
    } else {
      this.known.delete(id);
    }
  }

  /** After a whole-database change (emulator reset or restore). */
  clear(): void {
    this.rows.clear();
    this.touched.clear();
    this.seen.clear();
    this.used = 0;
    this.forgetMoves();
    this.dropPages();
  }

  evictTouched(): void {
    if (this.touched.size > 0) {
      for (const id of this.touched) this.forget(id);
      this.touched.clear();
      if (this.movedUnknown) this.dropPages();
      else this.dropPagesOf(this.moved);
    }
    this.forgetMoves(); // also what a batch that wrote nothing read
  }

  private forgetMoves(): void {
    this.known.clear();
    this.moved.length = 0;
    this.movedUnknown = false;
  }

  private dropPages(): void {
    this.version += 1;
    this.pages.clear();
    this.pagesOf.clear();
    this.pageBytes = 0;
  }

  /** Drops the pages of the parents these rows have. */
  private dropPagesOf(rows: readonly T[]): void {
    this.version += 1;
    for (const property of this.parentProperties) {
      for (const row of rows) {
        const keys = this.pagesOf.get(parentKey(property, (row as Record<string, unknown>)[property]));
        if (keys) for (const key of keys) this.dropPage(key);
      }
    }
  }

  private dropPage(key: string): void {
    const entry = this.pages.get(key);
    if (!entry) return;
    this.pages.delete(key);
    this.pageBytes -= entry.bytes;
    const siblings = this.pagesOf.get(entry.parent)!;
    siblings.delete(key);
    if (siblings.size === 0) this.pagesOf.delete(entry.parent);
  }

  /** The ids of a page, from the page cache (with the entry) or the index. */
  private async pageIds(repo: SqlRepo<T>, q: ListQuery): Promise<{ ids: string[]; more: boolean; entry?: PageEntry<T> }> {
    const key = q.key === undefined ? JSON.stringify(q) : queryKey(q.key, q);
    const known = this.pages.get(key);
    if (known) return { ids: known.ids, more: known.more, entry: known };
    const version = this.version;
    const page = await repo.listIds(q);
    if (version !== this.version) return page;
    let bytes = PAGE_OVERHEAD + 2 * key.length;
    for (const id of page.ids) bytes += FIELD_BYTES + STRING_HEADER + 2 * id.length;
    if (!this.makeRoomForPages(bytes)) return page;
    Object.freeze(page.ids); // shared by every List that hits it
    const property = q.parentProperty ?? 'folderId';
    const entry: PageEntry<T> = { ...page, key, parent: parentKey(property, q.folderId), bytes };
    this.pages.set(key, entry);
    this.parentProperties.add(property);
    let siblings = this.pagesOf.get(entry.parent);
    if (!siblings) this.pagesOf.set(entry.parent, (siblings = new Set()));
    siblings.add(key);
    this.pageBytes += bytes;
    while (this.used + this.pageBytes > this.maxBytes) this.evictOne();
    return { ...page, entry };
  }

  /** Drops the oldest pages until `bytes` more fit in the page share; false if they never do. */
  private makeRoomForPages(bytes: number): boolean {
    const budget = this.maxBytes / PAGE_SHARE;
    if (bytes > budget) return false;
    while (this.pageBytes + bytes > budget) this.dropPage(this.pages.keys().next().value!);
    return true;
  }

  private async list(repo: SqlRepo<T>, q: ListQuery): Promise<Page<T>> {
    const { ids, more, entry } = await this.pageIds(repo, q);
    if (entry?.built) return entry.built;
    // Hits are taken before misses are added: adding may evict older entries.
    let rows = ids.map((id) => this.hit(id));
    const missing = ids.filter((_, i) => rows[i] === undefined);
    if (missing.length > 0) {
      const found = new Map<string, T>();
      const version = this.version;
      for (const row of await repo.getMany(missing)) {
        if (this.seenBefore(row.id) && version === this.version) this.remember(row);
        found.set(row.id, row);
      }
      rows = ids.map((id, i) => rows[i] ?? found.get(id));
    }
    // A row deleted between the two queries is skipped; the page then ends at the row before.
    const items = rows.includes(undefined) ? rows.filter((row) => row !== undefined) : (rows as T[]);
    if (items.length === 0 && more) return repo.list(q); // every row of the page just went: no position to go on from
    const last = items[items.length - 1];
    const page: Page<T> = more && last ? { items, last: keysetOf(this.table, q.order, last) } : { items };
    if (entry && missing.length === 0) this.keepBuilt(entry, page);
    return page;
  }

  /**
   * Keeps a page made of cached (frozen) rows as built, while its entry is still the current
   * one. It counts twice its rows' estimate: the rows, and the whole page's wire forms.
   */
  private keepBuilt(entry: PageEntry<T>, page: Page<T>): void {
    let bytes = 0;
    for (const row of page.items) bytes += 2 * rowBytes(row);
    if (!this.pagesHold(entry) || !this.makeRoomForPages(bytes) || !this.pagesHold(entry)) return;
    Object.freeze(page.items);
    if (page.last) Object.freeze(page.last);
    entry.built = Object.freeze(page);
    entry.bytes += bytes;
    this.pageBytes += bytes;
    while (this.used + this.pageBytes > this.maxBytes) this.evictOne();
  }

  private pagesHold(entry: PageEntry<T>): boolean {
    return this.pages.get(entry.key) === entry;
  }

  /**
   * Admission for rows a List missed: a row enters on its second miss within the last `ghosts`
   * misses. A hot page is cached from its second List on, while a walk through a big folder
   * (every row read once) leaves the cache as it was instead of churning all of it out.
   */
  private seenBefore(id: string): boolean {
    if (this.seen.delete(id)) return true;
    if (this.ghosts === 0) return false;
    if (this.seen.size >= this.ghosts) this.seen.delete(this.seen.values().next().value!);
    this.seen.add(id);
    return false;
  }

  /** A cached row, marked used: the next eviction that reaches it spares it once. */
  private hit(id: string): T | undefined {
    const entry = this.rows.get(id);
    if (!entry) return undefined;
    entry.used = true;
    return entry.row;
  }

  /** Drops the first row not used since eviction last passed it; used ones move to the end. */
  private evictOne(): void {
    for (;;) {
      const [id, entry] = this.rows.entries().next().value!;
      this.rows.delete(id);
      if (!entry.used) {
        this.used -= entry.bytes;
        return;
      }
      entry.used = false;
      this.rows.set(id, entry);
    }
  }

  private forget(id: string): void {
    const entry = this.rows.get(id);
    if (!entry) return;
    this.rows.delete(id);
    this.used -= entry.bytes;
  }

  private remember(row: T): void {
    const bytes = rowBytes(row);
    const room = this.maxBytes - this.pageBytes; // rows and pages share the bound
    if (bytes > room) return; // never fits (a bound of 0 turns the cache off)
    this.forget(row.id);
    while (this.used + bytes > room) this.evictOne();
    for (const v of Object.values(row) as unknown[]) if (v && typeof v === 'object' && !(v instanceof Date)) Object.freeze(v);
    this.rows.set(row.id, { row: Object.freeze(row), bytes, used: false });
    this.used += bytes;
  }
}

/**
 * A page's key from the query's own (`ListQuery.key`, canonical JSON, so without a line break)
 * and what varies per page, one per line, the position last: the same text only for the same
 * query. Joined, not JSON.stringify'd: serialising the key again escaped all of its quotes, about
 * 0.25 µs of every List.
 */
function queryKey(key: string, q: ListQuery): string {
  return `${key}\n${q.parentProperty ?? ''}\n${q.limit}\n${q.after === undefined ? '' : JSON.stringify(q.after)}`;
}

/** A page's parent: the property its query's `folderId` names, and the id. */
function parentKey(property: string, id: unknown): string {
  return `${property}\n${String(id)}`;
}

interface PageEntry<T> {
  readonly key: string;
  /** parentKey of its query */
  readonly parent: string;
  readonly ids: string[];
  readonly more: boolean;
  bytes: number;
  /** The page as a List returned it, once every row of it was a cache hit. */
  built?: Page<T>;
}

/**
 * Roughly what V8 holds for one cached row: the Map entry and the object, a slot per field,
 * strings at two bytes a character (the worst case), and nested values (labels) by their JSON
 * length. A frozen row also carries, for as long as it lives, the wire forms the API layer makes
 * once per row (api/wire.ts memoWire, transport/encoded.ts): its wire message and that message's
 * protobuf bytes and JSON text, which copy its text once each. Measured against the heap for
 * desktop image rows (bench/RESULTS.md), it errs on the high side.
 */
export function rowBytes(row: object): number {
  let bytes = ROW_OVERHEAD + WIRE_FORMS;
  for (const v of Object.values(row) as unknown[]) {
    bytes += FIELD_BYTES;
    if (typeof v === 'string') bytes += STRING_HEADER + (2 + WIRE_COPIES) * v.length;
    else if (v instanceof Date) bytes += DATE_BYTES;
    else if (v && typeof v === 'object') bytes += OBJECT_HEADER + (2 + WIRE_COPIES) * JSON.stringify(v).length;
  }
  return bytes;
}

/** One remembered miss per this many bytes of the bound: 32M remembers 32,768 ids (about 3 MiB). */
const GHOST_BYTES_PER_ENTRY = 1024;
const ROW_OVERHEAD = 160; // Map entry, the entry object, the row object and its id key
const FIELD_BYTES = 16; // a property slot, or a heap number for a non-Smi value
const STRING_HEADER = 16;
const DATE_BYTES = 32;
const OBJECT_HEADER = 64;
const PAGE_OVERHEAD = 200; // the Map entry, its key, the page object and its place in pagesOf
/** Pages take at most this fraction (1/n) of the bound. */
const PAGE_SHARE = 8;
/** The wire message (its Timestamp, int64s and labels) and the headers of its two encodings. */
const WIRE_FORMS = 400;
/** Bytes per character of a row's text in its protobuf bytes and JSON text together. */
const WIRE_COPIES = 2;
