/** Base images for QEMU: the directory store's own files, or a bounded cache of remote blobs. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { BlobStore } from '../../domain/blobs/blob-store.js';
import { CancelledError, DataLossError } from '../../domain/errors.js';
import { DiskBlobStore } from '../../blobs/disk-blob-store.js';
import { BaseImages } from './base-images.js';

async function put(blobs: BlobStore, bytes: Buffer): Promise<string> {
  const w = await blobs.begin();
  await w.write(bytes);
  return (await w.commit()).sha256;
}

/** The directory store seen as remote: no local paths, bytes only through openRead. */
function remote(inner: BlobStore, tamper = false): BlobStore {
  return Object.assign(Object.create(inner) as BlobStore, {
    localPath: () => null,
    openRead: (sha: string) => (tamper ? Readable.from([Buffer.from('not the blob')]) : inner.openRead(sha)),
  });
}

/** A remote store that counts reads and serves each slowly, in chunks; `fail(n)` breaks the n-th read midway. */
function counting(inner: BlobStore, fail: (read: number) => boolean = () => false) {
  const reads = { count: 0 };
  const store = Object.assign(Object.create(inner) as BlobStore, {
    localPath: () => null,
    openRead: (sha: string) => {
      const n = ++reads.count;
      const source = inner.openRead(sha);
      return Readable.from((async function* () {
        let sent = 0;
        for await (const chunk of source as AsyncIterable<Buffer>) {
          for (let i = 0; i < chunk.length; i += 256) {
            await new Promise((r) => setTimeout(r, 5));
            if (fail(n) && sent > 0) throw new Error('connection reset');
            sent += 256;
            yield chunk.subarray(i, i + 256);
          }
        }
      })());
    },
  });
  return { store, reads };
}

describe('BaseImages', () => {
  it('hands out the directory store file, with the format read from its first bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clouddesk-bases-'));
    try {
      const blobs = await DiskBlobStore.open(join(dir, 'blobs'));
      const raw = await put(blobs, Buffer.alloc(4096, 1));
      const qcow = await put(blobs, Buffer.concat([Buffer.from('QFI\xfb', 'latin1'), Buffer.alloc(4092)]));
      const images = new BaseImages(blobs, join(dir, 'cache'), 0, () => new Set());
      assert.deepEqual(await images.localFile(raw), { path: blobs.localPath(raw), format: 'raw' });
      assert.deepEqual(await images.localFile(qcow), { path: blobs.localPath(qcow), format: 'qcow2' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('downloads remote blobs into the cache, checks their hash, and evicts the least recently used not in use', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clouddesk-bases-'));
    try {
      const inner = await DiskBlobStore.open(join(dir, 'blobs'));
      const [a, b, c] = [await put(inner, Buffer.alloc(1000, 1)), await put(inner, Buffer.alloc(1000, 2)), await put(inner, Buffer.alloc(1000, 3))];
      const cache = join(dir, 'cache');
      const inUse = new Set([a]);
      const images = new BaseImages(remote(inner), cache, 2000, () => inUse);
      const first = await images.localFile(a);
      assert.equal(first.path, join(cache, a));
      assert.deepEqual(readFileSync(first.path), Buffer.alloc(1000, 1));
      await images.localFile(b);
      await new Promise((r) => setTimeout(r, 20)); // distinct modification times
      await images.localFile(c);
      assert.deepEqual(readdirSync(cache).sort(), [a, c].sort(), 'b went: the oldest not in use');
      await assert.rejects(new BaseImages(remote(inner, true), join(dir, 'other'), 2000, () => new Set()).localFile(b), DataLossError);
      assert.deepEqual(readdirSync(join(dir, 'other')), [], 'no partial copy stays');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shares one download among concurrent requests for a blob, and leaves no temp file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clouddesk-bases-'));
    try {
      const inner = await DiskBlobStore.open(join(dir, 'blobs'));
      const a = await put(inner, Buffer.alloc(4096, 7));
      const { store, reads } = counting(inner);
      const cache = join(dir, 'cache');
      const images = new BaseImages(store, cache, undefined, () => new Set());
      const files = await Promise.all([images.localFile(a), images.localFile(a), images.localFile(a), images.localFile(a)]);
      assert.equal(reads.count, 1, 'one read of the remote blob');
      for (const f of files) assert.deepEqual(f, { path: join(cache, a), format: 'raw' });
      assert.deepEqual(readdirSync(cache), [a], 'no temp file left, no second copy');
      assert.deepEqual(readFileSync(join(cache, a)), Buffer.alloc(4096, 7));
      await images.localFile(a);
      assert.equal(reads.count, 1, 'a cached blob is not read again');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not keep a failed download: its waiters all fail, the next request downloads afresh', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clouddesk-bases-'));
    try {
      const inner = await DiskBlobStore.open(join(dir, 'blobs'));
      const a = await put(inner, Buffer.alloc(4096, 9));
      const { store, reads } = counting(inner, (n) => n === 1);
      const cache = join(dir, 'cache');
      const images = new BaseImages(store, cache, undefined, () => new Set());
      const results = await Promise.allSettled([images.localFile(a), images.localFile(a), images.localFile(a)]);
      assert.equal(reads.count, 1, 'the failing download was shared');
      for (const r of results) assert.equal(r.status === 'rejected' && (r.reason as Error).message, 'connection reset');
      assert.deepEqual(readdirSync(cache), [], 'no partial copy stays');
      assert.deepEqual(await images.localFile(a), { path: join(cache, a), format: 'raw' });
      assert.equal(reads.count, 2, 'the next request read the blob again');
      assert.deepEqual(readFileSync(join(cache, a)), Buffer.alloc(4096, 9));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('cancels a shared download only when every request waiting for it is cancelled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clouddesk-bases-'));
    try {
      const inner = await DiskBlobStore.open(join(dir, 'blobs'));
      const a = await put(inner, Buffer.alloc(8192, 3));
      const { store, reads } = counting(inner);
      const cache = join(dir, 'cache');
      const images = new BaseImages(store, cache, undefined, () => new Set());
      const first = new AbortController();
      const cancelled = images.localFile(a, first.signal);
      const kept = images.localFile(a, new AbortController().signal);
      first.abort();
      await assert.rejects(cancelled, CancelledError);
      assert.equal((await kept).path, join(cache, a), 'the other request still gets the file');
      assert.equal(reads.count, 1);

      const b = await put(inner, Buffer.alloc(8192, 4));
      const only = new AbortController();
      const alone = images.localFile(b, only.signal);
      await new Promise((r) => setTimeout(r, 20));
      only.abort();
      await assert.rejects(alone, CancelledError);
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(readdirSync(cache), [a], 'the abandoned download left nothing');
      assert.equal((await images.localFile(b)).path, join(cache, b), 'and does not block the next request');
      assert.equal(reads.count, 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
