import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RowCache, rowBytes } from './row-cache.js';
import type { SqlRepo } from '../sql/sql-repo.js';
import type { SqlTable } from '../sql/table.js';

interface Row {
  id: string;
  /** Set only by the tests of folders; elsewhere a page's folder is its ids (see countingRepo). */
  folderId?: string;
  name: string;
  labels: Record<string, string>;
  createdAt: Date;
}

const row = (id: string, name = 'x'.repeat(40)): Row => ({ id, name, labels: { env: 'prod' }, createdAt: new Date(0) });
const ONE = rowBytes(row('r000'));

/** A repo whose Get and List count the rows they read, so a test can tell a hit from a miss. */
function countingRepo() {
  const reads: string[] = [];
  const repo = {
    get: async (id: string) => (reads.push(id), row(id)),
    delete: async () => undefined,
    // The folder's rows are the ids the query names (`folderId` = comma-separated ids).
    listIds: async (q: { folderId: string }) => ({ ids: q.folderId.split(','), more: false }),
    getMany: async (ids: string[]) => ids.map((id) => (reads.push(id), row(id))),
  } as unknown as SqlRepo<Row>;
  return { repo, reads };
}

/** A repo that logs its queries; `hold()` makes them wait until released. */
function pagingRepo() {
  const queries: string[] = [];
  let gate: Promise<void> | undefined;
  const wait = () => gate;
  const repo = {
    get: async (id: string) => (queries.push(`get ${id}`), await wait(), row(id)),
    update: async () => true,
    delete: async () => true,
    listIds: async (q: { folderId: string }) => (queries.push(`list ${q.folderId}`), await wait(), { ids: q.folderId.split(','), more: false }),
    getMany: async (ids: string[]) => ids.map((id) => row(id)),
  } as unknown as SqlRepo<Row>;
  const hold = () => {
    let release!: () => void;
    gate = new Promise((r) => (release = r));
    return () => {
      gate = undefined;
      release();
    };
  };
  return { repo, queries, hold };
}

const page = (ids: string[]) => ({ folderId: ids.join(','), filter: [], order: [], limit: 100 });

function cacheOf(maxBytes: number) {
  const cache = new RowCache<Row>({} as SqlTable<Row>, maxBytes);
  const { repo, reads } = countingRepo();
  return { cache, reader: cache.reader(repo), writer: cache.writer(repo), reads };
}

describe('RowCache', () => {
  it('holds no more estimated bytes than its bound', async () => {
    const { cache, reader } = cacheOf(10 * ONE);
    for (let i = 0; i < 100; i++) await reader.get(`r${String(i).padStart(3, '0')}`);
    assert.equal(cache.size, 10);
    assert.ok(cache.bytes <= 10 * ONE, `${cache.bytes} > ${10 * ONE}`);
  });

  it('evicts a row not used since it came in before one used since (second chance), not simply the oldest', async () => {
    const { reader, reads } = cacheOf(3 * ONE);
    for (const id of ['a', 'b', 'c']) await reader.get(id);
    await reader.get('a'); // a hit: a is spared once
    await reader.get('d'); // evicts b
    reads.length = 0;
    for (const id of ['a', 'c', 'd', 'b']) await reader.get(id);
    assert.deepEqual(reads, ['b']);
  });

  it('a bound of 0 caches nothing', async () => {
    const { cache, reader, reads } = cacheOf(0);
    await reader.get('a');
    await reader.get('a');
    assert.deepEqual(reads, ['a', 'a']);
    assert.equal(cache.bytes, 0);
  });

  it('gives back the bytes of evicted and touched rows', async () => {
    const { cache, reader, writer } = cacheOf(5 * ONE);
    for (const id of ['a', 'b']) await reader.get(id);
    await writer.delete('a');
    cache.evictTouched();
    assert.equal(cache.size, 1);
    assert.equal(cache.bytes, rowBytes(row('b')));
  });

  it('a listed page is cached from its second List; a walk through more rows than fit leaves the cache as it was', async () => {
    const { cache, reader, reads } = cacheOf(20 * ONE);
    const hot = ['h1', 'h2', 'h3'];
    await reader.list(page(hot));
    await reader.list(page(hot));
    reads.length = 0;
    await reader.list(page(hot));
    assert.deepEqual(reads, [], 'the hot page is served from the cache');
    for (let p = 0; p < 50; p++) await reader.list(page(Array.from({ length: 10 }, (_, i) => `w${p}-${i}`)));
    assert.equal(cache.size, 3, 'rows read once were not admitted');
    reads.length = 0;
    await reader.list(page(hot));
    assert.deepEqual(reads, [], 'the hot page is still cached after the walk');
  });

  it('after clear() holds as much as before: its byte count starts again at 0', async () => {
    const { cache, reader } = cacheOf(3 * ONE);
    for (const id of ['a', 'b', 'c']) await reader.get(id);
    cache.clear();
    assert.equal(cache.bytes, 0);
    for (const id of ['d', 'e', 'f']) await reader.get(id);
    assert.equal(cache.size, 3);
  });

  it('a List repeated while nothing changes reads its page from the cache; a change to a row it does not know drops every page', async () => {
    const { repo, queries } = pagingRepo();
    const cache = new RowCache<Row>({} as SqlTable<Row>, 100 * ONE);
    const reader = cache.reader(repo);
    const writer = cache.writer(repo);
    for (let i = 0; i < 3; i++) await reader.list(page(['a', 'b']));
    await reader.list(page(['c']));
    assert.equal(queries.length, 2, 'one query per distinct page');
    await writer.update(row('zzz')); // neither read nor cached: which folder it was in is unknown
    await reader.list(page(['a', 'b']));
    assert.equal(queries.length, 2, 'the change has not taken effect yet (COMMIT or ROLLBACK)');
    cache.evictTouched();
    await reader.list(page(['a', 'b']));
    await reader.list(page(['c']));
    assert.equal(queries.length, 4);
  });

  it('a page whose rows were all cached comes back as the same frozen Page until any change; then it is built again', async () => {
    const { repo } = pagingRepo();
    const cache = new RowCache<Row>({} as SqlTable<Row>, 100 * ONE);
    const reader = cache.reader(repo);
    const writer = cache.writer(repo);
    const first = await reader.list(page(['a', 'b'])); // rows missed once
    const second = await reader.list(page(['a', 'b'])); // missed again: they enter the cache
    assert.notEqual(first, second);
    assert.ok(!Object.isFrozen(second), 'a page with a missed row is not kept');
    const built = await reader.list(page(['a', 'b'])); // every row a hit
    assert.ok(Object.isFrozen(built) && Object.isFrozen(built.items));
    assert.equal(await reader.list(page(['a', 'b'])), built);
    assert.deepEqual(built.items.map((r) => r.id), ['a', 'b']);
    const before = cache.bytes;
    await writer.update({ ...row('a', 'renamed'), folderId: 'a,b' }); // its folder: the page's
    cache.evictTouched();
    assert.ok(cache.bytes < before, 'the dropped page gives its bytes back');
    const after = await reader.list(page(['a', 'b']));
    assert.notEqual(after, built);
  });

  it('keeps a page as built only while its bytes fit the page share', async () => {
    const { repo } = pagingRepo();
    const cache = new RowCache<Row>({} as SqlTable<Row>, 8 * ONE); // a share of one row: a built page costs two a row
    const reader = cache.reader(repo);
    for (let i = 0; i < 4; i++) await reader.list(page(['a']));
    assert.ok(!Object.isFrozen(await reader.list(page(['a']))));
    assert.ok(cache.bytes <= 8 * ONE);
  });

  it('does not cache a page or a row read before a change that took effect while the read was under way', async () => {
    const { repo, queries, hold } = pagingRepo();
    const cache = new RowCache<Row>({} as SqlTable<Row>, 100 * ONE);
    const reader = cache.reader(repo);
    const writer = cache.writer(repo);
    const release = hold();
    const listing = reader.list(page(['a']));
    const getting = reader.get('b');
    await writer.delete('a');
    cache.evictTouched(); // the change commits between the reads' SQL and their answers
    release();
    await Promise.all([listing, getting]);
    await reader.list(page(['a']));
    await reader.get('b');
    assert.deepEqual(queries, ['list a', 'get b', 'list a', 'get b']);
  });

  it("a change drops the pages of its row's folder, before and after it, and leaves the other folders' pages", async () => {
    const folders: Record<string, string[]> = { f1: ['a', 'b'], f2: ['c'], f3: ['d'] };
    const inFolder = (id: string) => Object.keys(folders).find((f) => folders[f]!.includes(id));
    const queries: string[] = [];
    const repo = {
      get: async (id: string) => ({ ...row(id), folderId: inFolder(id) }),
      insert: async () => undefined,
      update: async () => true,
      delete: async () => true,
      listIds: async (q: { folderId: string; parentProperty?: string }) => (
        queries.push(`${q.parentProperty ?? 'folder'} ${q.folderId}`), { ids: folders[q.folderId] ?? [], more: false }
      ),
      getMany: async (ids: string[]) => ids.map((id) => ({ ...row(id), folderId: inFolder(id) })),
    } as unknown as SqlRepo<Row>;
    const cache = new RowCache<Row>({} as SqlTable<Row>, 1000 * ONE); // every page fits its share
    const reader = cache.reader(repo);
    const writer = cache.writer(repo);
    const listAll = async () => {
      for (const f of ['f1', 'f2', 'f3']) await reader.list({ folderId: f, filter: [], order: [], limit: 100 });
      // A page whose parent is named by another property: `name` here, whose values are no folder's.
      await reader.list({ folderId: 'f1', parentProperty: 'name', filter: [], order: [], limit: 100 });
    };
    const fresh = async () => {
      queries.length = 0;
      await listAll();
      return [...queries];
    };
    await listAll();
    assert.deepEqual(await fresh(), [], 'every page cached');

    await writer.insert({ ...row('e'), folderId: 'f2' });
    cache.evictTouched();
    assert.deepEqual(await fresh(), ['folder f2'], 'an insert drops its folder only');

    // Read in the write transaction, then deleted: its folder is known though it was never cached.
    await writer.get('d');
    await writer.delete('d');
    cache.evictTouched();
    assert.deepEqual(await fresh(), ['folder f3']);

    // A row given a parent that another page is named by: the pages of both go.
    const a = (await writer.get('a'))!;
    await writer.update({ ...a, name: 'f1' });
    cache.evictTouched();
    assert.deepEqual(await fresh(), ['folder f1', 'name f1']);

    // Cached rows tell their folder too: c is cached by the Get, then updated without a read.
    await reader.get('c');
    await writer.update({ ...row('c', 'renamed'), folderId: 'f2' });
    cache.evictTouched();
    assert.deepEqual(await fresh(), ['folder f2']);

    // A delete of a row neither read nor cached: its folder is unknown, every page goes.
    await writer.delete('zzz');
    cache.evictTouched();
    assert.deepEqual(await fresh(), ['folder f1', 'folder f2', 'folder f3', 'name f1']);

    // What a write transaction read is forgotten when it ends: a later delete of it is unknown again.
    await writer.get('y'); // in no folder: known, its delete would drop no page
    cache.evictTouched(); // a batch that only read
    await writer.delete('y');
    cache.evictTouched();
    assert.deepEqual(await fresh(), ['folder f1', 'folder f2', 'folder f3', 'name f1']);
  });

  it('pages count against the bound, and take at most an eighth of it', async () => {
    const { repo } = pagingRepo();
    const cache = new RowCache<Row>({} as SqlTable<Row>, 20 * ONE);
    const reader = cache.reader(repo);
    for (let p = 0; p < 200; p++) {
      await reader.list(page(Array.from({ length: 5 }, (_, i) => `p${p}-${i}`)));
      await reader.list(page(Array.from({ length: 5 }, (_, i) => `p${p}-${i}`))); // rows enter on their second miss
      assert.ok(cache.bytes <= 20 * ONE, `${cache.bytes} > ${20 * ONE}`);
    }
    assert.ok(cache.size >= 15, `rows keep at least seven eighths: ${cache.size}`);
  });

  it('counts longer strings and labels as more bytes', () => {
    assert.ok(rowBytes(row('r001', 'y'.repeat(1000))) > ONE + 1900);
  });
});
