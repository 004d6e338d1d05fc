/**
 * Compute ImageService through the official SDK: import from a URL (raw and qcow2), copy by
 * image_id, the importer's failure modes, Get/List/Update/Delete/GetLatestByFamily/ListOperations.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../harness/server.js';
import { compute, sdkFor, waitDone, type SdkClients } from '../harness/sdk.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { rejectsWith } from '../harness/assert-error.js';
import { waitFor } from '../harness/wait.js';

const Image = compute.image.Image;
const READY = compute.image.Image_Status.READY;

let server: RunningServer;
let sdk: SdkClients;
let src: ImageSource;
const folderId = 'compute-folder';

before(async () => {
  server = await startServer({ args: ['--import-timeout-ms', '1500', '--import-max-bytes', String(8 * 1024 * 1024)] });
  sdk = sdkFor(server);
  src = await startImageSource();
});

after(async () => {
  sdk.close();
  await src.close();
  await server.cleanup();
});

function blobFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else out.push(join(dir, e.name));
    }
  };
  walk(join(server.dataDir, 'blobs'));
  return out;
}

function blobCount(n: number, what: string): Promise<true> {
  return waitFor(() => blobFiles().length === n, { what, timeoutMs: 5_000, detail: () => `${blobFiles().length} blob files, not ${n}` });
}

async function importImage(name: string, path: string): Promise<{ op: any; image: any }> {
  const op = await sdk.images.create({ folderId, name, uri: src.url(path) });
  const done = await waitDone(sdk, op);
  const image = done.response ? Image.decode(done.response.value) : undefined;
  return { op: done, image };
}

describe('Compute ImageService', () => {
  it('imports a raw image from a URL', async () => {
    const { op, image } = await importImage('raw-one', '/raw?size=1048576');
    assert.equal(op.error, undefined);
    assert.equal(op.description, 'Create image');
    assert.match(op.id, /^fd8[a-z0-9]{17}$/);
    assert.equal(op.response.typeUrl, 'type.googleapis.com/yandex.cloud.compute.v1.Image');
    assert.equal(image.status, READY);
    assert.equal(image.storageSize, 1048576);
    assert.equal(image.minDiskSize, 1048576);
    const got = await sdk.images.get({ imageId: image.id });
    assert.deepEqual(got, image);
  });

  it('imports a qcow2 image and takes min_disk_size from its virtual size', async () => {
    const { image } = await importImage('qcow-one', `/qcow2?virtual=${20 * 1024 ** 3}`);
    assert.equal(image.status, READY);
    assert.equal(image.minDiskSize, 20 * 1024 ** 3);
    assert.ok(image.storageSize < 1024 * 1024);
  });

  it('copies an image by image_id sharing its bytes', async () => {
    const before = blobFiles().length;
    const { image: a } = await importImage('share-src', '/raw?size=2048&seed=9');
    const afterImport = blobFiles().length;
    assert.equal(afterImport, before + 1);
    const op = await waitDone(sdk, await sdk.images.create({ folderId, name: 'share-copy', imageId: a.id }));
    const b = Image.decode(op.response.value);
    assert.equal(b.storageSize, a.storageSize);
    assert.equal(blobFiles().length, afterImport, 'no bytes copied');
    // Deleting the source keeps the blob for the copy; deleting the copy removes it.
    await waitDone(sdk, await sdk.images.delete({ imageId: a.id }));
    assert.equal(blobFiles().length, afterImport);
    await waitDone(sdk, await sdk.images.delete({ imageId: b.id }));
    // The blob goes right after the commit that finishes the operation, so it may take a moment.
    await blobCount(before, 'the shared blob removed with its last image');
  });

  it('ends the import operation with a clear error for a bad source, leaving nothing behind', async () => {
    const before = blobFiles().length;
    const cases: [string, number, RegExp][] = [
      ['/missing', 9, /404/],
      ['/short?size=200000', 14, /closed|short|bytes/i],
      ['/stall?size=200000', 4, /no data|stall|timed out/i],
      ['/raw?size=9000000', 8, /larger than|limit/i],
      [`/qcow2?virtual=${8 * 1024 ** 4}`, 3, /virtual size/i],
    ];
    for (const [path, code, pattern] of cases) {
      const { op } = await importImage('', path);
      assert.ok(op.error, `${path} should fail`);
      assert.equal(op.error.code, code, `${path}: ${op.error.message}`);
      assert.match(op.error.message, pattern);
      const imageId = compute.imageService.CreateImageMetadata.decode(op.metadata.value).imageId;
      await rejectsWith(sdk.images.get({ imageId }), 5);
    }
    await blobCount(before, 'no blob left by failed imports');
  });

  it('rejects bad requests synchronously with the field named', async () => {
    await rejectsWith(sdk.images.create({ folderId, name: 'x' }), 3, /source/);
    await rejectsWith(sdk.images.create({ folderId, name: 'x', uri: 'ftp://h/x' }), 3, /uri/);
    await rejectsWith(sdk.images.create({ folderId, name: 'x', diskId: 'd1' }), 12, /disk/);
    await rejectsWith(sdk.images.create({ folderId: '', name: 'x', uri: src.url('/raw') }), 3, /folder_id/);
    await rejectsWith(sdk.images.create({ folderId, name: 'Bad_Name', uri: src.url('/raw') }), 3, /name/);
    await rejectsWith(sdk.images.create({ folderId, name: 'x', uri: src.url('/raw'), minDiskSize: 5 }), 3, /min_disk_size/);
    await rejectsWith(sdk.images.get({ imageId: 'fd8doesnotexist00000' }), 5, /Image fd8doesnotexist00000 not found/);
  });

  it('keeps names unique per folder', async () => {
    await importImage('unique-name', '/raw?size=1024');
    await rejectsWith(sdk.images.create({ folderId, name: 'unique-name', uri: src.url('/raw') }), 6);
  });

  it('lists, pages, updates and finds the latest by family', async () => {
    const fam = 'fam-folder';
    for (const n of ['f1', 'f2', 'f3']) {
      await waitDone(sdk, await sdk.images.create({ folderId: fam, name: n, family: 'ubuntu', uri: src.url('/raw?size=1024') }));
    }
    const latest = await sdk.images.getLatestByFamily({ folderId: fam, family: 'ubuntu' });
    assert.equal(latest.name, 'f3');
    const p1 = await sdk.images.list({ folderId: fam, pageSize: 2 });
    assert.equal(p1.images.length, 2);
    assert.ok(p1.nextPageToken);
    const p2 = await sdk.images.list({ folderId: fam, pageSize: 2, pageToken: p1.nextPageToken });
    assert.equal(p2.images.length, 1);
    assert.equal(p2.nextPageToken, '');
    const upd = await waitDone(
      sdk,
      await sdk.images.update({ imageId: latest.id, updateMask: { paths: ['description', 'labels'] }, description: 'new', labels: { a: 'b' } }),
    );
    const updated = Image.decode(upd.response.value);
    assert.equal(updated.description, 'new');
    assert.deepEqual(updated.labels, { a: 'b' });
    assert.equal(updated.name, 'f3');
    const ops = await sdk.images.listOperations({ imageId: latest.id });
    assert.deepEqual(ops.operations.map((o: any) => o.description), ['Update image', 'Create image']);
  });
});
