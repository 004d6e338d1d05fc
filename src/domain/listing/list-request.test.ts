import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../store.js';
import type { ListFields, ListQuery, Page } from './list-query.js';
import { listPage, type ListRequest } from './list-request.js';
import { Pager } from './pager.js';

interface Item {
  id: string;
  createdAt: Date;
}

const FIELDS: ListFields<Item> = { kind: 'item', filter: [], sort: { created_at: 'createdAt' } };
const clock = { now: () => new Date('2026-01-01T00:00:00Z') };
// Inline tokens only: the store is never reached.
const pager = new Pager(undefined as unknown as Store, clock, Buffer.from('k'.repeat(32)));
const req = (folderId: string): ListRequest => ({ folderId, filter: '', orderBy: '', pageSize: 2, pageToken: '' });
const items: Item[] = [{ id: 'a', createdAt: new Date(1) }, { id: 'b', createdAt: new Date(2) }];

describe('listPage', () => {
  it('keeps the result of a frozen page (the same page handed out again) and gives it back frozen', async () => {
    const page: Page<Item> = Object.freeze({ items: Object.freeze([...items]) as Item[], last: Object.freeze([2, 'b']) as unknown[] });
    const first = await listPage(pager, req('f1'), FIELDS, async () => page);
    const again = await listPage(pager, req('f1'), FIELDS, async () => page);
    assert.equal(again, first);
    assert.ok(Object.isFrozen(first));
    assert.notEqual(first.nextPageToken, '');
  });

  it('makes a new result for a page that is not frozen, or for the same page under another scope', async () => {
    const open: Page<Item> = { items, last: [2, 'b'] };
    const a = await listPage(pager, req('f1'), FIELDS, async () => open);
    const b = await listPage(pager, req('f1'), FIELDS, async () => open);
    assert.notEqual(a, b);
    assert.ok(!Object.isFrozen(a));
    const page: Page<Item> = Object.freeze({ items, last: [2, 'b'] });
    const inF1 = await listPage(pager, req('f1'), FIELDS, async () => page);
    const inF2 = await listPage(pager, req('f2'), FIELDS, async () => page);
    assert.notEqual(inF2, inF1);
    assert.notEqual(inF2.nextPageToken, inF1.nextPageToken, 'each token is signed for its own scope');
  });

  it('asks the same query, under the same key, for a repeated request, and another key for another folder, owner, filter or order', async () => {
    const fields: ListFields<Item & { name: string }> = { kind: 'named', filter: ['name'], sort: { created_at: 'createdAt', name: 'name' } };
    const keyOf = async (r: Partial<ListRequest>) => {
      let asked: ListQuery | undefined;
      await listPage(pager, { ...req('f1'), ...r }, fields, async (q) => {
        asked = q;
        return { items: [] };
      });
      assert.ok(asked?.key, 'listPage names its query');
      assert.ok(Object.isFrozen(asked.filter) && asked.filter.every((c) => Object.isFrozen(c) && Object.isFrozen(c.values)), 'the shared filter is frozen');
      return asked;
    };
    const first = await keyOf({ filter: 'name = "a"' });
    const again = await keyOf({ filter: 'name = "a"' });
    assert.equal(again.key, first.key);
    assert.deepEqual(again.filter, [{ field: 'name', op: '=', values: ['a'] }]);
    assert.equal((await keyOf({ filter: 'name IN ("a")' })).key, first.key, 'spelling does not matter');
    const others = await Promise.all([
      keyOf({ filter: 'name = "b"' }),
      keyOf({ filter: 'name = "a"', folderId: 'f2' }),
      keyOf({ filter: 'name = "a"', ownedBy: 'user-1' }),
      keyOf({ filter: 'name = "a"', orderBy: 'name' }),
    ]);
    assert.equal(new Set([first.key, ...others.map((q) => q.key)]).size, 5);
    // Parts that run together when joined plainly: folder "f1" and no owner, folder "f" and owner "1".
    const joined = await Promise.all([keyOf({ folderId: 'f1' }), keyOf({ folderId: 'f', ownedBy: '1' }), keyOf({ folderId: 'f1' })]);
    assert.notEqual(joined[1].key, joined[0].key);
    assert.equal(joined[2].key, joined[0].key);
    await assert.rejects(keyOf({ filter: 'size = 1' }), /size/, 'a bad filter is refused every time, never kept');
    await assert.rejects(keyOf({ filter: 'size = 1' }), /size/);
  });

  it('tells tokens that carry their position from stored ones, which are issued again each time', () => {
    assert.equal(Pager.lasting('eyJ4IjoxfQ.abcdefghijkl'), true);
    assert.equal(Pager.lasting(`s${'A'.repeat(22)}`), false);
    assert.equal(Pager.lasting(''), true);
  });
});
