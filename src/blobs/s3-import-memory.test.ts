// Runs in a process of its own (node --test gives each file one), so RSS reflects this import only;
// s3rver runs in a child process. As in import-url-memory.test.ts, collecting every 10 ms makes RSS
// show what the upload holds. Measured: ~6 parts' worth (lib-storage's chunking, two parts in flight)
// plus ~25 MiB: 71 MiB with 8 MiB parts, 117 MiB with 16 MiB parts, whatever the image size.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DEFAULT_MAX_VIRTUAL_SIZE, importStream } from './import-url.js';
import { S3BlobStore } from './s3-blob-store.js';
import { startS3rver } from './s3rver-fixture.js';

const SIZE = 256 * 1024 ** 2;
const CHUNK = Buffer.alloc(256 * 1024, 7); // never changed, so the upload may keep references

async function* body(): AsyncGenerator<Uint8Array> {
  for (let sent = 0; sent < SIZE; sent += CHUNK.length) yield CHUNK;
}

it('streams a 256 MiB image to S3 and back without holding it in memory', async (t) => {
  const s3 = await startS3rver('mem');
  const store = new S3BlobStore({ ...s3.options, prefix: 'mem' });
  try {
    // Warm up: the SDK loads its modules on first use, which is code, not buffered bytes.
    await importStream(store, (async function* () { yield CHUNK; })(), { maxBytes: SIZE, maxVirtualSize: DEFAULT_MAX_VIRTUAL_SIZE });
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
      gc();
    }, 10);
    const expected = createHash('sha256');
    for await (const c of body()) expected.update(c);
    const image = await importStream(store, body(), { maxBytes: SIZE, maxVirtualSize: DEFAULT_MAX_VIRTUAL_SIZE });
    const uploadPeak = Math.max(peak, process.memoryUsage().rss) - before;
    const read = createHash('sha256');
    let bytes = 0;
    for await (const c of store.openRead(image.sha256)) {
      read.update(c as Buffer);
      bytes += (c as Buffer).length;
    }
    clearInterval(sampler);
    const readPeak = Math.max(peak, process.memoryUsage().rss) - before;

    assert.equal(image.sha256, expected.digest('hex'));
    assert.equal(await store.size(image.sha256), SIZE);
    assert.equal(bytes, SIZE);
    assert.equal(read.digest('hex'), image.sha256);
    t.diagnostic(`RSS grew by ${(uploadPeak / 2 ** 20).toFixed(1)} MiB uploading, ${(readPeak / 2 ** 20).toFixed(1)} MiB after reading`);
    assert.ok(uploadPeak < SIZE / 2, `RSS grew by ${(uploadPeak / 2 ** 20).toFixed(1)} MiB for a 256 MiB upload`);
    assert.ok(readPeak < SIZE / 2, `RSS grew by ${(readPeak / 2 ** 20).toFixed(1)} MiB reading 256 MiB`);
  } finally {
    store.client.destroy();
    await s3.stop();
  }
});
