import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DiskBlobStore } from '../../blobs/disk-blob-store.js';
import { putText } from '../../blobs/blob-store.contract.js';
import { UnavailableError } from '../errors.js';
import type { Store } from '../store.js';
import { BlobCollector } from './collector.js';

/** A store in which nothing references any blob. */
const unreferenced = { read: async (fn: (tx: unknown) => unknown) => fn({ blobRefs: { isReferenced: async () => false } }) } as unknown as Store;

describe('BlobCollector', () => {
  it('retries a failed removal in the background instead of throwing', async () => {
    const root = await mkdtemp(join(tmpdir(), 'clouddesk-collector-'));
    const disk = await DiskBlobStore.open(root);
    let outage = true;
    const flaky = Object.assign(Object.create(disk) as DiskBlobStore, {
      delete: async (sha: string) => {
        if (outage) throw new UnavailableError('the blob store (S3) is unavailable, try again later');
        return disk.delete(sha);
      },
    });
    const collector = new BlobCollector(unreferenced, flaky);
    const stop = collector.startBackground({ retryMs: 50 });
    try {
      const { sha256 } = await putText(disk, 'orphan');
      await collector.collect(sha256); // does not throw
      assert.equal(await disk.has(sha256), true);
      outage = false;
      for (let i = 0; i < 100 && (await disk.has(sha256)); i++) await sleep(20);
      assert.equal(await disk.has(sha256), false);
    } finally {
      stop();
      await rm(root, { recursive: true, force: true });
    }
  });
});
