/**
 * The behaviour every BlobStore must show, run by each implementation's test file:
 *
 *   blobStoreContract('DiskBlobStore', async () => {
 *     const root = await mkdtemp(join(tmpdir(), 'blobs-'));
 *     return { store: await DiskBlobStore.open(root), cleanup: () => rm(root, { recursive: true }) };
 *   });
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { BlobStore } from '../domain/blobs/blob-store.js';

export interface BlobStoreFixture {
  store: BlobStore;
  cleanup(): Promise<void>;
}

export async function listAll(store: BlobStore): Promise<string[]> {
  const out: string[] = [];
  for await (const sha of store.list()) out.push(sha);
  return out.sort();
}

export async function putText(store: BlobStore, ...parts: string[]) {
  const w = await store.begin();
  for (const p of parts) await w.write(Buffer.from(p));
  return w.commit();
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

export function blobStoreContract(name: string, make: () => Promise<BlobStoreFixture>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let fx: BlobStoreFixture;
    beforeEach(async () => (fx = await make()));
    afterEach(() => fx.cleanup());

    it('commits under the SHA-256 of the content and reads it back', async () => {
      const blob = await putText(fx.store, 'hello ', 'world');
      assert.deepEqual(blob, { sha256: sha('hello world'), size: 11 });
      assert.equal(await fx.store.has(blob.sha256), true);
      assert.equal(await fx.store.size(blob.sha256), 11);
      assert.equal(await text(fx.store.openRead(blob.sha256)), 'hello world');
      assert.deepEqual(await listAll(fx.store), [blob.sha256]);
    });

    it('stores an empty blob', async () => {
      assert.deepEqual(await putText(fx.store), { sha256: sha(''), size: 0 });
      assert.equal(await text(fx.store.openRead(sha(''))), '');
    });

    it('keeps one copy of the same content committed twice', async () => {
      const a = await putText(fx.store, 'same');
      const b = await putText(fx.store, 'sa', 'me');
      assert.deepEqual(a, b);
      assert.deepEqual(await listAll(fx.store), [a.sha256]);
      assert.equal(await fx.store.sweepTemp(), 0);
    });

    it('shows nothing before commit and leaves nothing after abort', async () => {
      const w = await fx.store.begin();
      await w.write(Buffer.from('partial'));
      assert.equal(w.size, 7);
      assert.equal(await fx.store.has(sha('partial')), false);
      assert.deepEqual(await listAll(fx.store), []);
      await w.abort();
      await w.abort(); // idempotent
      assert.deepEqual(await listAll(fx.store), []);
      assert.equal(await fx.store.sweepTemp(), 0);
      await assert.rejects(w.write(Buffer.from('x')), { name: 'InternalError' });
    });

    it('ignores abort after commit and refuses a second commit', async () => {
      const w = await fx.store.begin();
      await w.write(Buffer.from('kept'));
      const blob = await w.commit();
      await w.abort();
      assert.equal(await fx.store.has(blob.sha256), true);
      await assert.rejects(w.commit(), { name: 'InternalError' });
    });

    it('deletes, and deleting a missing blob is not an error', async () => {
      const blob = await putText(fx.store, 'gone soon');
      await fx.store.delete(blob.sha256);
      await fx.store.delete(blob.sha256);
      assert.equal(await fx.store.has(blob.sha256), false);
      assert.deepEqual(await listAll(fx.store), []);
    });

    it('counts committed blobs and their bytes, and nothing in flight', async () => {
      const before = await fx.store.usage();
      const a = await putText(fx.store, 'usage one');
      const b = await putText(fx.store, 'usage two, longer');
      await putText(fx.store, 'usage one'); // the same content again: still one blob
      const open = await fx.store.begin();
      await open.write(Buffer.from('not committed'));
      const after = await fx.store.usage();
      await open.abort();
      assert.deepEqual(after, { count: before.count + 2, bytes: before.bytes + a.size + b.size });
    });

    it('answers NotFoundError for the size and bytes of a missing blob', async () => {
      const missing = sha('never stored');
      await assert.rejects(fx.store.size(missing), { name: 'NotFoundError', message: `Blob ${missing} not found` });
      await assert.rejects(text(fx.store.openRead(missing)), { name: 'NotFoundError' });
    });

    it('rejects anything that is not a hash', async () => {
      await assert.rejects(fx.store.has('../../etc/passwd'), { name: 'InternalError' });
      await assert.rejects(fx.store.delete('ABC'), { name: 'InternalError' });
    });

    it('keeps concurrent writers apart', async () => {
      const blobs = await Promise.all(['a', 'b', 'c', 'a'].map((s) => putText(fx.store, s.repeat(1000))));
      assert.deepEqual(await listAll(fx.store), [...new Set(blobs.map((b) => b.sha256))].sort());
    });
  });
}
