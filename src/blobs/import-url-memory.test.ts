// Runs in a process of its own (node --test gives each file one), so RSS reflects this import only.
// Freed network buffers linger until V8 collects them, some 40 MiB of slack whatever the body size
// (measured at 16 MiB to 1 GiB); collecting every 10 ms makes RSS show what the import holds.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DiskBlobStore } from './disk-blob-store.js';
import { LARGE_SIZE, LOCAL_SOURCE, startFakeSource } from './fake-source.js';
import { DEFAULT_MAX_VIRTUAL_SIZE, importFromUrl } from './import-url.js';

it('streams a 64 MiB image to disk without holding it in memory', async (t) => {
  const src = await startFakeSource();
  const root = await mkdtemp(join(tmpdir(), 'clouddesk-import-mem-'));
  try {
    const blobs = await DiskBlobStore.open(root);
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
      gc();
    }, 10);
    const image = await importFromUrl(blobs, src.url('/large'), {
      maxBytes: 2 * LARGE_SIZE, maxVirtualSize: DEFAULT_MAX_VIRTUAL_SIZE, stallTimeoutMs: 10_000, ...LOCAL_SOURCE,
    }).finally(() => clearInterval(sampler));
    peak = Math.max(peak, process.memoryUsage().rss);

    assert.equal(image.size, LARGE_SIZE);
    assert.equal(image.format, 'raw');
    assert.equal(await blobs.size(image.sha256), LARGE_SIZE);
    assert.deepEqual(await readdir(join(root, 'tmp')), []);
    const growth = peak - before;
    t.diagnostic(`RSS grew by ${(growth / 2 ** 20).toFixed(1)} MiB`);
    assert.ok(growth < LARGE_SIZE / 2, `RSS grew by ${(growth / 2 ** 20).toFixed(1)} MiB for a 64 MiB body`);
  } finally {
    await src.close();
    await rm(root, { recursive: true, force: true });
  }
});
