/**
 * The QEMU runtime over an S3 blob store (needs QEMU; s3rver, a test double, on loopback): base
 * images reach QEMU through the local cache under `<data-dir>/image-cache`, and a capture goes
 * back into the bucket as a new object that a second desktop boots from, through the cache again.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { startS3rver, type S3rverFixture } from '../../src/blobs/s3rver-fixture.js';
import { waitFor } from '../harness/wait.js';
import { hasMarker, overlayOf, qemuImgInfo, qemuPids, startQemuServer, type QemuServer } from './qemu-fixture.js';

const BUCKET = 'clouddesk-qemu';
const PREFIX = 'blobs';

describe('QEMU runtime on an S3 blob store (needs QEMU)', { timeout: 300_000 }, () => {
  let s3: S3rverFixture;
  let client: S3Client;
  let q: QemuServer;
  before(async () => {
    s3 = await startS3rver(BUCKET); // also sets the credentials the server's SDK reads
    client = new S3Client({ region: 'ru-central1', endpoint: s3.endpoint, forcePathStyle: true });
    q = await startQemuServer(['--blob-store', `s3://${BUCKET}/${PREFIX}/`, '--s3-endpoint', s3.endpoint, '--desktop-stop-timeout-ms', '1000']);
  });
  after(async () => {
    await q?.cleanup();
    client?.destroy();
    await s3?.stop();
  });

  const objects = async () => ((await client.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key!.slice(PREFIX.length + 1));

  it('needs QEMU: boots from a cached copy of the S3 blob, captures the marker into a new object, and boots a desktop of that image', async () => {
    const dataDir = q.server.dataDir;
    const cache = join(dataDir, 'image-cache');
    assert.equal(existsSync(join(dataDir, 'blobs')), false, 'no local blob directory');
    const before = await objects();
    assert.equal(before.length, 3, 'the seeded system images are objects in the bucket');

    const desktop = await q.desktop((await q.group(await q.systemImage('marker')))['id']);
    assert.equal(desktop['status'], 'ACTIVE');
    const overlay = overlayOf(dataDir, desktop['id']);
    const backing = String(qemuImgInfo(overlay)['backing-filename']);
    assert.equal(join(backing, '..'), cache, 'the backing file is the cached copy');
    assert.ok(before.includes(backing.split('/').pop()!), 'of the image object');
    assert.deepEqual(readdirSync(cache), [backing.split('/').pop()], 'one cached copy, no temp file');
    await waitFor(() => hasMarker(overlay), { what: 'the guest writes its marker', timeoutMs: 60_000, intervalMs: 250 });
    await q.operation(`/cloud-desktop/v1/desktops/${desktop['id']}:stop`, {});

    const image = await q.operation('/cloud-desktop/v1/images:copyFromDesktop', { desktopId: desktop['id'], folderId: 'qemu-tests', name: 'captured' });
    assert.equal(image['status'], 'ACTIVE');
    const added = (await objects()).filter((k) => !before.includes(k));
    assert.equal(added.length, 1, 'the capture made one new object');
    const body = await (await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/${added[0]}` }))).Body!.transformToByteArray();
    assert.equal(String(image['storageSize']), String(body.length), 'storage_size is the object size');
    const tmp = mkdtempSync(join(tmpdir(), 'clouddesk-s3-capture-'));
    try {
      writeFileSync(join(tmp, 'captured.qcow2'), body);
      assert.ok(hasMarker(join(tmp, 'captured.qcow2')), 'the object holds the marker');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }

    const second = await q.desktop((await q.group(image['id']))['id']);
    const overlay2 = overlayOf(dataDir, second['id']);
    assert.equal(String(qemuImgInfo(overlay2)['backing-filename']), join(cache, added[0]!), 'the captured object, cached');
    assert.equal(qemuImgInfo(overlay2)['backing-filename-format'], 'qcow2');
    assert.ok(hasMarker(overlay2), 'the second desktop starts with the marker');
    assert.equal(qemuPids(join(dataDir, 'desktops', second['id'])).length, 1);
    await q.operation(`/cloud-desktop/v1/desktops/${second['id']}:stop`, {});
  });
});
