import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RowCache, rowBytes } from './row-cache.js';
import type { SqlRepo } from '../sql/sql-repo.js';
import type { SqlTable } from '../sql/table.js';

interface Row {
  id: string;
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

  it('counts longer strings and labels as more bytes', () => {
    assert.ok(rowBytes(row('r001', 'y'.repeat(1000))) > ONE + 1900);
  });
});
