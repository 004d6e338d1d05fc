/** Base images for QEMU: the directory store's own files, or a bounded cache of remote blobs. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { BlobStore } from '../../domain/blobs/blob-store.js';
import { DataLossError } from '../../domain/errors.js';
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
});
