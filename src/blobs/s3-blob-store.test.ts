import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { blobStoreContract, putText } from './blob-store.contract.js';
import { partSizeFor, S3BlobStore } from './s3-blob-store.js';
import { startS3rver, type S3rverFixture } from './s3rver-fixture.js';

let s3: S3rverFixture;
let n = 0;

before(async () => (s3 = await startS3rver('blobs')));
after(() => s3.stop());

/** Each test gets its own prefix in the one bucket, so leftovers of one cannot pass another. */
function fresh(extra: Partial<ConstructorParameters<typeof S3BlobStore>[0]> = {}) {
  const prefix = `t${++n}/images`;
  const store = new S3BlobStore({ ...s3.options, prefix, partSize: 5 * 1024 ** 2, ...extra });
  return { prefix, store, cleanup: async () => store.client.destroy() };
}

async function keys(store: S3BlobStore, prefix = ''): Promise<string[]> {
  const res = await store.client.send(new ListObjectsV2Command({ Bucket: 'blobs', Prefix: prefix }));
  return (res.Contents ?? []).map((o) => o.Key!).sort();
}

blobStoreContract('S3BlobStore (s3rver)', async () => fresh());

describe('S3BlobStore', () => {
  it('keeps every object under the prefix: <prefix>/<sha256>, temp keys gone after commit', async () => {
    const { prefix, store, cleanup } = fresh();
    try {
      const before = (await keys(store)).filter((k) => !k.startsWith(`${prefix}/`));
      const { sha256 } = await putText(store, 'layout');
      assert.equal(store.keyOf(sha256), `${prefix}/${sha256}`);
      assert.deepEqual(await keys(store, `${prefix}/`), [`${prefix}/${sha256}`]);
      assert.deepEqual((await keys(store)).filter((k) => !k.startsWith(`${prefix}/`)), before);
    } finally {
      await cleanup();
    }
  });

  it('streams a multi-part blob and reads it back in pieces', async () => {
    const { store, cleanup } = fresh();
    try {
      const data = randomBytes(11 * 1024 ** 2 + 17);
      const w = await store.begin();
      for (let off = 0; off < data.length; off += 256 * 1024) await w.write(data.subarray(off, off + 256 * 1024));
      const blob = await w.commit();
      assert.deepEqual(blob, { sha256: createHash('sha256').update(data).digest('hex'), size: data.length });
      const hash = createHash('sha256');
      let chunks = 0;
      for await (const chunk of store.openRead(blob.sha256)) {
        hash.update(chunk as Buffer);
        chunks++;
      }
      assert.equal(hash.digest('hex'), blob.sha256);
      assert.ok(chunks > 1, 'read as a stream, not one buffer');
    } finally {
      await cleanup();
    }
  });

  it('copies part by part above the copy threshold (as S3 must above 5 GiB)', async () => {
    const { prefix, store, cleanup } = fresh({ copyPartSize: 5 * 1024 ** 2 });
    try {
      const data = randomBytes(12 * 1024 ** 2 + 3);
      const w = await store.begin();
      await w.write(data);
      const blob = await w.commit();
      const hash = createHash('sha256');
      for await (const chunk of store.openRead(blob.sha256)) hash.update(chunk as Buffer);
      assert.equal(hash.digest('hex'), createHash('sha256').update(data).digest('hex'));
      assert.equal(await store.size(blob.sha256), data.length);
      assert.deepEqual(await keys(store, `${prefix}/`), [`${prefix}/${blob.sha256}`]);
    } finally {
      await cleanup();
    }
  });

  it('sweeps temp objects older than the bound and leaves younger ones', async () => {
    const { prefix, store, cleanup } = fresh({ tempMaxAgeMs: 60_000 });
    try {
      const old = `${prefix}/tmp/${Date.now() - 120_000}-${'a'.repeat(24)}`;
      const young = `${prefix}/tmp/${Date.now()}-${'b'.repeat(24)}`;
      for (const Key of [old, young]) await store.client.send(new PutObjectCommand({ Bucket: 'blobs', Key, Body: 'x' }));
      assert.equal(await store.sweepTemp(), 1);
      assert.deepEqual(await keys(store, `${prefix}/`), [young]);
    } finally {
      await cleanup();
    }
  });

  it('lists across pages', async () => {
    const { store, cleanup } = fresh();
    try {
      // Objects put directly: 1005 full commits would only slow the test down.
      const made = Array.from({ length: 1005 }, (_, i) => createHash('sha256').update(`blob ${i}`).digest('hex'));
      for (let i = 0; i < made.length; i += 50) {
        await Promise.all(made.slice(i, i + 50).map((sha) => store.client.send(new PutObjectCommand({ Bucket: 'blobs', Key: store.keyOf(sha), Body: 'x' }))));
      }
      const listed: string[] = [];
      for await (const sha of store.list()) listed.push(sha);
      assert.deepEqual(listed.sort(), made.sort());
    } finally {
      await cleanup();
    }
  });

  it('reports an unreachable server as UnavailableError', async () => {
    const store = new S3BlobStore({ bucket: 'blobs', prefix: 'p', region: 'ru-central1', endpoint: 'http://127.0.0.1:1' });
    try {
      await assert.rejects(store.has('0'.repeat(64)), { name: 'UnavailableError' });
    } finally {
      store.client.destroy();
    }
  });
});

describe('partSizeFor', () => {
  it('keeps 8 MiB parts up to ~70 GiB and grows them to stay within 10 000 parts', () => {
    assert.equal(partSizeFor(64 * 1024 ** 3), 8 * 1024 ** 2);
    const tib = 1024 ** 4;
    assert.ok(partSizeFor(tib) * 10_000 >= tib);
    assert.equal(partSizeFor(tib) % 1024 ** 2, 0);
  });
});
