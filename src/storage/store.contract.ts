/**
 * The contract every Store implementation passes (SQLite and PostgreSQL):
 *
 *   storeContract('SqliteStore', async () => ({ store: await SqliteStore.open(file), cleanup }));
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../domain/store.js';
import type { DesktopImage } from '../resources/desktop-image/domain/desktop-image.js';
import type { Operation } from '../domain/operation/operation.js';
import type { OrderKey } from '../domain/listing/order-by.js';

export interface StoreUnderTest {
  store: Store;
  cleanup(): Promise<void>;
}

let seq = 0;
function image(folderId: string, name: string, over: Partial<DesktopImage> = {}): DesktopImage {
  seq++;
  return {
    id: `e3vcontract${String(seq).padStart(9, '0')}`,
    folderId, name, description: '', labels: { k: 'v' }, status: 'ACTIVE',
    createdAt: new Date(1_700_000_000_000 + seq), storageSize: 10, minDiskSize: 20,
    blobSha256: 'a'.repeat(64), sourceId: 'fd8src', ...over,
  };
}

function op(resourceId: string, over: Partial<Operation> = {}): Operation {
  seq++;
  const at = new Date(1_700_000_000_000 + seq);
  return {
    id: `e3vop${String(seq).padStart(15, '0')}`, description: 'Copy desktop image', createdAt: at, createdBy: 'u',
    modifiedAt: at, done: false, metadata: { type: 'x.Meta', fields: { imageId: resourceId } }, kind: 'k',
    resourceId, folderId: 'f', params: { a: 1 }, ...over,
  };
}

export function storeContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`${name} store contract`, () => {
    let sut: StoreUnderTest;
    before(async () => {
      sut = await open();
    });
    after(async () => {
      await sut.cleanup();
    });

    it('inserts, reads, updates and deletes desktop images', async () => {
      const img = image('c-crud', 'one', { labels: { a: 'b' }, description: 'd' });
      await sut.store.transact((tx) => tx.desktopImages.insert(img));
      assert.deepEqual(await sut.store.read((tx) => tx.desktopImages.get(img.id)), img);
      const changed = { ...img, name: 'two', status: 'DELETING' as const };
      assert.equal(await sut.store.transact((tx) => tx.desktopImages.update(changed)), true);
      assert.deepEqual(await sut.store.read((tx) => tx.desktopImages.get(img.id)), changed);
      assert.equal(await sut.store.transact((tx) => tx.desktopImages.delete(img.id)), true);
      assert.equal(await sut.store.read((tx) => tx.desktopImages.get(img.id)), undefined);
      assert.equal(await sut.store.transact((tx) => tx.desktopImages.delete(img.id)), false);
    });

    it('rolls back every write of a failed transaction', async () => {
      const img = image('c-tx', 'x');
      await assert.rejects(
        sut.store.transact(async (tx) => {
          await tx.desktopImages.insert(img);
          await tx.operations.insert(op(img.id));
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(await sut.store.read((tx) => tx.desktopImages.get(img.id)), undefined);
    });

    it('never serves a stale row after a commit or a rollback', async () => {
      const img = image('c-stale', 'v1');
      await sut.store.transact((tx) => tx.desktopImages.insert(img));
      assert.equal((await sut.store.read((tx) => tx.desktopImages.get(img.id)))!.name, 'v1');
      // A read while a transaction holds an uncommitted change sees the committed row...
      await sut.store.transact(async (tx) => {
        await tx.desktopImages.update({ ...img, name: 'v2' });
        assert.equal((await sut.store.read((r) => r.desktopImages.get(img.id)))!.name, 'v1');
      });
      // ...and the next read after the commit sees the new one.
      assert.equal((await sut.store.read((tx) => tx.desktopImages.get(img.id)))!.name, 'v2');
      await assert.rejects(
        sut.store.transact(async (tx) => {
          await tx.desktopImages.update({ ...img, name: 'v3' });
          throw new Error('rolled back');
        }),
      );
      assert.equal((await sut.store.read((tx) => tx.desktopImages.get(img.id)))!.name, 'v2');
      await sut.store.transact((tx) => tx.desktopImages.delete(img.id));
      assert.equal(await sut.store.read((tx) => tx.desktopImages.get(img.id)), undefined);
    });

    it('lists changed rows in their new place with their new values', async () => {
      const folder = 'c-relist';
      const [a, b, c] = ['a', 'b', 'c'].map((n) => image(folder, n));
      await sut.store.transact(async (tx) => {
        for (const i of [a!, b!, c!]) await tx.desktopImages.insert(i);
      });
      const order: OrderKey[] = [{ field: 'name', desc: false }, { field: 'id', desc: false }];
      const names = async () =>
        (await sut.store.read((tx) => tx.desktopImages.list({ folderId: folder, filter: [], order, limit: 10 }))).items.map((i) => i.name);
      assert.deepEqual(await names(), ['a', 'b', 'c']);
      await sut.store.transact((tx) => tx.desktopImages.update({ ...a!, name: 'z' }));
      await sut.store.transact((tx) => tx.desktopImages.delete(b!.id));
      assert.deepEqual(await names(), ['c', 'z']);
    });

    it('pages by keyset in both directions with filters', async () => {
      const folder = 'c-list';
      const names = ['b', 'a', 'c', 'a', 'd'];
      const made = names.map((n) => image(folder, n));
      await sut.store.transact(async (tx) => {
        for (const i of made) await tx.desktopImages.insert(i);
      });
      for (const desc of [false, true]) {
        const order: OrderKey[] = [{ field: 'name', desc }, { field: 'id', desc }];
        const seen: string[] = [];
        let after: unknown[] | undefined;
        do {
          const page = await sut.store.read((tx) => tx.desktopImages.list({ folderId: folder, filter: [], order, after, limit: 2 }));
          seen.push(...page.items.map((i) => i.id));
          after = page.last;
        } while (after);
        const expected = [...made].sort((x, y) => (x.name === y.name ? x.id.localeCompare(y.id) : x.name.localeCompare(y.name))).map((i) => i.id);
        assert.deepEqual(seen, desc ? expected.reverse() : expected);
      }
      const filtered = await sut.store.read((tx) =>
        tx.desktopImages.list({
          folderId: folder,
          filter: [{ field: 'name', op: 'NOT IN', values: ['a', 'd'] }, { field: 'name', op: '!=', values: ['c'] }],
          order: [{ field: 'id', desc: false }],
          limit: 10,
        }),
      );
      assert.deepEqual(filtered.items.map((i) => i.name), ['b']);
      assert.deepEqual(await sut.store.read((tx) => tx.desktopImages.countInFolder(folder)), { count: 5, storageSize: 50 });
    });

    it('finishes operations once and lists the unfinished and per resource', async () => {
      const a = op('e3vres1');
      const b = op('e3vres1');
      await sut.store.transact(async (tx) => {
        await tx.operations.insert(a);
        await tx.operations.insert(b);
      });
      const at = new Date(1_800_000_000_000);
      assert.equal(await sut.store.transact((tx) => tx.operations.finish(a.id, { error: { code: 1, message: 'x' } }, at)), true);
      assert.equal(await sut.store.transact((tx) => tx.operations.finish(a.id, { response: { type: 'google.protobuf.Empty' } }, at)), false);
      const got = await sut.store.read((tx) => tx.operations.get(a.id));
      assert.deepEqual(got, { ...a, done: true, modifiedAt: at, error: { code: 1, message: 'x' } });
      const page1 = await sut.store.read((tx) => tx.operations.listByResource('e3vres1', 1));
      const page2 = await sut.store.read((tx) => tx.operations.listByResource('e3vres1', 1, page1.last));
      assert.deepEqual([...page1.items, ...page2.items].map((o) => o.id), [b.id, a.id]);
      assert.equal(await sut.store.transact((tx) => tx.operations.purgeFinished(new Date(1_900_000_000_000))), 1);
    });

    it('tracks which blobs images reference', async () => {
      const sha = 'b'.repeat(64);
      assert.equal(await sut.store.read((tx) => tx.blobRefs.isReferenced(sha)), false);
      await sut.store.transact((tx) => tx.desktopImages.insert(image('c-blob', 'x', { blobSha256: sha })));
      assert.equal(await sut.store.read((tx) => tx.blobRefs.isReferenced(sha)), true);
      assert.ok((await sut.store.read((tx) => tx.blobRefs.allReferenced())).has(sha));
    });

    it('serialises concurrent transactions', async () => {
      const img = image('c-conc', 'counter', { storageSize: 0 });
      await sut.store.transact((tx) => tx.desktopImages.insert(img));
      await Promise.all(
        Array.from({ length: 20 }, () =>
          sut.store.transact(async (tx) => {
            const cur = (await tx.desktopImages.get(img.id))!;
            await new Promise((r) => setImmediate(r));
            await tx.desktopImages.update({ ...cur, storageSize: cur.storageSize + 1 });
          }),
        ),
      );
      assert.equal((await sut.store.read((tx) => tx.desktopImages.get(img.id)))!.storageSize, 20);
    });

    it('concurrent transactions fail alone: a failed one leaves nothing, the others commit, and each is visible once it resolves', async () => {
      const imgs = Array.from({ length: 30 }, (_, i) => image('c-group', `g-${String(i).padStart(2, '0')}`));
      const results = await Promise.allSettled(
        imgs.map((img, i) =>
          sut.store.transact(async (tx) => {
            await tx.desktopImages.insert(img);
            await new Promise((r) => setImmediate(r));
            if (i % 3 === 1) throw new Error(`fail ${i}`);
            return i;
          }).then(async (i) => {
            // Acknowledged means committed: a read right after sees it.
            assert.ok(await sut.store.read((tx) => tx.desktopImages.get(img.id)), `${img.name} visible after its transaction resolved`);
            return i;
          }),
        ),
      );
      results.forEach((r, i) => {
        if (i % 3 === 1) assert.equal(r.status === 'rejected' && (r.reason as Error).message, `fail ${i}`);
        else assert.deepEqual(r, { status: 'fulfilled', value: i });
      });
      const stored = await sut.store.read((tx) => tx.desktopImages.list({ folderId: 'c-group', filter: [], order: [{ field: 'name', desc: false }, { field: 'id', desc: false }], limit: 100 }));
      assert.deepEqual(stored.items.map((x) => x.name), imgs.filter((_, i) => i % 3 !== 1).map((x) => x.name));
    });
  });
}
