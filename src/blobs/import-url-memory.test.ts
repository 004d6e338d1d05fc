// Runs in a process of its own (node --test gives each file one), so RSS reflects this import only.
// Freed network buffers linger until V8 collects them, some 40 MiB of slack whatever the body size
// (measured at 16 MiB to 1 GiB); collecting every 10 ms makes RSS show what the import holds.
// The download runs on the import thread (import-thread.ts), which the first import starts and
// later ones reuse: a warm-up import starts it first, as its ~15 MiB are code, not buffered bytes.
// The gc() here cannot reach that thread's heap, so the socket buffers it has freed but not yet
// collected stay in RSS: measured 31-37 MiB at 64 MiB, 256 MiB and 1 GiB bodies alike. Hence a
// 256 MiB body and a bound of a quarter of it: holding the body, or a share of it, fails.
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

it('streams a 256 MiB image to disk without holding it in memory', async (t) => {
  const src = await startFakeSource();
  const root = await mkdtemp(join(tmpdir(), 'clouddesk-import-mem-'));
  try {
    const blobs = await DiskBlobStore.open(root);
    const opts = { maxBytes: 2 * LARGE_SIZE, maxVirtualSize: DEFAULT_MAX_VIRTUAL_SIZE, stallTimeoutMs: 10_000, ...LOCAL_SOURCE };
    await importFromUrl(blobs, src.url('/raw'), opts);
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
      gc();
    }, 10);
    const image = await importFromUrl(blobs, src.url('/large'), opts).finally(() => clearInterval(sampler));
    peak = Math.max(peak, process.memoryUsage().rss);

    assert.equal(image.size, LARGE_SIZE);
    assert.equal(image.format, 'raw');
    assert.equal(await blobs.size(image.sha256), LARGE_SIZE);
    assert.deepEqual(await readdir(join(root, 'tmp')), []);
    const growth = peak - before;
    t.diagnostic(`RSS grew by ${(growth / 2 ** 20).toFixed(1)} MiB`);
    assert.ok(growth < LARGE_SIZE / 4, `RSS grew by ${(growth / 2 ** 20).toFixed(1)} MiB for a ${LARGE_SIZE / 2 ** 20} MiB body`);
  } finally {
    await src.close();
    await rm(root, { recursive: true, force: true });
  }
});
