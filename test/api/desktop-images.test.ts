/**
 * DesktopImageService and OperationService through the official SDK's generated clients:
 * every RPC, its errors, paging/filter/order, update masks, concurrency.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../harness/server.js';
import { cloudDesktop, compute, sdkFor, waitDone, type SdkClients } from '../harness/sdk.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { rejectsWith } from '../harness/assert-error.js';

const DesktopImage = cloudDesktop.desktopImage.DesktopImage;
const Status = cloudDesktop.desktopImage.DesktopImage_Status;
const svc = cloudDesktop.desktopImageService;

let server: RunningServer;
let sdk: SdkClients;
let src: ImageSource;
let computeImageId: string;

before(async () => {
  server = await startServer();
  sdk = sdkFor(server);
  src = await startImageSource();
  const op = await waitDone(sdk, await sdk.images.create({ folderId: 'sources', name: 'base', uri: src.url(`/qcow2?virtual=${64 * 1024 ** 3}`) }));
  computeImageId = compute.image.Image.decode(op.response.value).id;
});

after(async () => {
  sdk.close();
  await src.close();
  await server.cleanup();
});

async function copy(folderId: string, name: string, extra: Record<string, unknown> = {}): Promise<any> {
  const op = await sdk.desktopImages.copy({ folderId, name, imageId: computeImageId, ...extra });
  const done = await waitDone(sdk, op);
  assert.equal(done.error, undefined, done.error?.message);
  return DesktopImage.decode(done.response.value);
}

describe('DesktopImageService.Copy', () => {
  it('returns an operation at once and ends with an ACTIVE image', async () => {
    const op = await sdk.desktopImages.copy({
      folderId: 'f-copy', name: 'win-base', imageId: computeImageId, labels: { env: 'prod' }, description: 'base image',
    });
    assert.match(op.id, /^e3v[a-z0-9]{17}$/);
    assert.equal(op.description, 'Copy desktop image');
    assert.equal(op.metadata.typeUrl, 'type.googleapis.com/yandex.cloud.clouddesktop.v1.api.CopyDesktopImageMetadata');
    const imageId = svc.CopyDesktopImageMetadata.decode(op.metadata.value).imageId;
    assert.match(imageId, /^e3v[a-z0-9]{17}$/);
    assert.ok(op.createdAt instanceof Date && op.modifiedAt instanceof Date);
    // The answer is the operation as accepted, even when the Copy ended in its own transaction.
    assert.equal(op.done, false);
    assert.equal(op.response, undefined);
    const done = await waitDone(sdk, op);
    assert.equal(done.response.typeUrl, 'type.googleapis.com/yandex.cloud.clouddesktop.v1.api.DesktopImage');
    const image = DesktopImage.decode(done.response.value);
    assert.deepEqual(
      { ...image, createdAt: undefined },
      {
        id: imageId, folderId: 'f-copy', createdAt: undefined, status: Status.ACTIVE, name: 'win-base',
        labels: { env: 'prod' }, storageSize: image.storageSize, minDiskSize: 64 * 1024 ** 3, description: 'base image',
      },
    );
    assert.ok(image.storageSize > 0);
    assert.deepEqual(await sdk.desktopImages.get({ imageId }), image);
  });

  it('validates every field with the field named', async () => {
    const ok = { folderId: 'f-val', name: 'n', imageId: computeImageId };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ folderId: '' }, /folder_id: Field is required/],
      [{ folderId: 'x'.repeat(51) }, /folder_id: Length must be less than or equal to 50/],
      [{ name: '' }, /name: Field is required/],
      [{ name: 'n'.repeat(51) }, /name: Length must be less than or equal to 50/],
      [{ imageId: '' }, /image_id: Field is required/],
      [{ labels: { Env: 'x' } }, /labels/],
      [{ labels: { env: 'X Y' } }, /labels/],
      [{ labels: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v'])) }, /labels: Size/],
      [{ description: 'd'.repeat(1025) }, /description: Length/],
    ];
    for (const [patch, pattern] of cases) {
      const err = await rejectsWith(sdk.desktopImages.copy({ ...ok, ...patch }), 3, pattern);
      assert.match(err.details, /^Request validation error: /);
    }
  });

  it('answers NOT_FOUND for an unknown Compute image', async () => {
    await rejectsWith(sdk.desktopImages.copy({ folderId: 'f', name: 'n', imageId: 'fd8nothere0000000000' }), 5, /Image fd8nothere0000000000 not found/);
  });

  it('ends with DATA_LOSS, and no image, when the source bytes are gone from the blob store', async () => {
    const blobsDir = join(server.dataDir, 'blobs', 'sha256');
    const before = new Set(blobFiles(blobsDir));
    const made = await waitDone(sdk, await sdk.images.create({ folderId: 'sources', name: 'lost', uri: src.url('/raw?size=65536&seed=41') }));
    const lostId = compute.image.Image.decode(made.response.value).id;
    const added = blobFiles(blobsDir).filter((f) => !before.has(f));
    assert.equal(added.length, 1, 'the import added one blob');
    rmSync(added[0]!);
    const op = await sdk.desktopImages.copy({ folderId: 'f-lost', name: 'lost', imageId: lostId });
    assert.equal(op.done, false);
    const done = await waitDone(sdk, op);
    assert.equal(done.error?.code, 15);
    assert.equal(done.error?.message, `The data of source image ${lostId} is missing from the blob store`);
    const imageId = svc.CopyDesktopImageMetadata.decode(op.metadata.value).imageId;
    await rejectsWith(sdk.desktopImages.get({ imageId }), 5);
  });

  it('runs 50 copies in parallel without INTERNAL or UNKNOWN', async () => {
    const ops = await Promise.all(
      Array.from({ length: 50 }, (_, i) => sdk.desktopImages.copy({ folderId: 'f-par', name: `p-${i}`, imageId: computeImageId })),
    );
    const done = await Promise.all(ops.map((op: any) => waitDone(sdk, op)));
    assert.ok(done.every((d: any) => d.error === undefined));
    const list = await sdk.desktopImages.list({ folderId: 'f-par', pageSize: 1000 });
    assert.equal(list.desktopImages.length, 50);
    assert.ok(list.desktopImages.every((i: any) => i.status === Status.ACTIVE));
  });
});

describe('DesktopImageService.CopyFromDesktop', () => {
  it('validates and answers NOT_FOUND for the desktop', async () => {
    await rejectsWith(sdk.desktopImages.copyFromDesktop({ desktopId: '' }), 3, /desktop_id: Field is required/);
    await rejectsWith(sdk.desktopImages.copyFromDesktop({ desktopId: 'e3vdesk' , name: 'n'.repeat(51) }), 3, /name/);
    await rejectsWith(sdk.desktopImages.copyFromDesktop({ desktopId: 'e3vdesktop0000000000' }), 5, /Desktop e3vdesktop0000000000 not found/);
  });
});

describe('DesktopImageService.Get/List', () => {
  it('Get of an unknown id is NOT_FOUND and of an empty id INVALID_ARGUMENT', async () => {
    await rejectsWith(sdk.desktopImages.get({ imageId: 'e3vnothere0000000000' }), 5, /Desktop image e3vnothere0000000000 not found/);
    await rejectsWith(sdk.desktopImages.get({ imageId: '' }), 3, /image_id: Field is required/);
  });

  it('filters, orders and pages with stable tokens while images come and go', async () => {
    const folder = 'f-list';
    const names = ['delta', 'alpha', 'charlie', 'bravo', 'echo'];
    const made: any[] = [];
    for (const n of names) made.push(await copy(folder, n));
    const byName = await sdk.desktopImages.list({ folderId: folder, orderBy: 'name' });
    assert.deepEqual(byName.desktopImages.map((i: any) => i.name), ['alpha', 'bravo', 'charlie', 'delta', 'echo']);
    const desc = await sdk.desktopImages.list({ folderId: folder, orderBy: 'name desc' });
    assert.deepEqual(desc.desktopImages.map((i: any) => i.name), ['echo', 'delta', 'charlie', 'bravo', 'alpha']);
    const byCreated = await sdk.desktopImages.list({ folderId: folder });
    assert.deepEqual(byCreated.desktopImages.map((i: any) => i.name), names);

    const f1 = await sdk.desktopImages.list({ folderId: folder, filter: 'name = "alpha"' });
    assert.deepEqual(f1.desktopImages.map((i: any) => i.name), ['alpha']);
    const f2 = await sdk.desktopImages.list({ folderId: folder, filter: "name IN ('alpha', 'echo')", orderBy: 'name' });
    assert.deepEqual(f2.desktopImages.map((i: any) => i.name), ['alpha', 'echo']);
    const f3 = await sdk.desktopImages.list({ folderId: folder, filter: 'name NOT IN ("alpha","echo") AND name != bravo', orderBy: 'name' });
    assert.deepEqual(f3.desktopImages.map((i: any) => i.name), ['charlie', 'delta']);

    // Page by 2 in name order; delete a seen image and add a new one between pages.
    const p1 = await sdk.desktopImages.list({ folderId: folder, orderBy: 'name', pageSize: 2 });
    assert.deepEqual(p1.desktopImages.map((i: any) => i.name), ['alpha', 'bravo']);
    await waitDone(sdk, await sdk.desktopImages.delete({ imageId: made[1].id })); // alpha
    await copy(folder, 'aardvark'); // sorts before the cursor: must not appear
    await copy(folder, 'foxtrot');
    const p2 = await sdk.desktopImages.list({ folderId: folder, orderBy: 'name', pageSize: 2, pageToken: p1.nextPageToken });
    assert.deepEqual(p2.desktopImages.map((i: any) => i.name), ['charlie', 'delta']);
    const p3 = await sdk.desktopImages.list({ folderId: folder, orderBy: 'name', pageSize: 2, pageToken: p2.nextPageToken });
    assert.deepEqual(p3.desktopImages.map((i: any) => i.name), ['echo', 'foxtrot']);
    assert.equal(p3.nextPageToken, '', 'the last page has no next token');
  });

  it('a List polled while nothing changes sees an update or a delete at once, over gRPC and REST', async () => {
    const folder = 'f-poll';
    const a = await copy(folder, 'first');
    await copy(folder, 'second');
    const rest = async () => {
      const res = await fetch(`http://${server.address}/cloud-desktop/v1/images?folderId=${folder}&pageSize=1`, {
        headers: { authorization: `Bearer ${server.token}` },
      });
      assert.equal(res.status, 200);
      return (await res.json()) as { desktopImages: { name: string }[]; nextPageToken: string };
    };
    // Polled enough for the embedded store to keep the page as built, and its encodings.
    for (let i = 0; i < 4; i++) {
      assert.deepEqual((await sdk.desktopImages.list({ folderId: folder, pageSize: 1 })).desktopImages.map((x: any) => x.name), ['first']);
      assert.deepEqual((await rest()).desktopImages.map((x) => x.name), ['first']);
    }
    const polled = await rest();
    assert.ok(polled.nextPageToken);
    const next = await sdk.desktopImages.list({ folderId: folder, pageSize: 1, pageToken: polled.nextPageToken });
    assert.deepEqual(next.desktopImages.map((x: any) => x.name), ['second'], 'the kept page token still leads on');
    await waitDone(sdk, await sdk.desktopImages.update({ imageId: a.id, updateMask: { paths: ['name'] }, name: 'renamed' }));
    assert.deepEqual((await sdk.desktopImages.list({ folderId: folder, pageSize: 1 })).desktopImages.map((x: any) => x.name), ['renamed']);
    assert.deepEqual((await rest()).desktopImages.map((x) => x.name), ['renamed']);
    await waitDone(sdk, await sdk.desktopImages.delete({ imageId: a.id }));
    const afterDelete = await rest();
    assert.deepEqual(afterDelete.desktopImages.map((x) => x.name), ['second']);
    assert.equal(afterDelete.nextPageToken ?? '', '');
  });

  it('rejects bad list arguments with INVALID_ARGUMENT naming the field', async () => {
    const folderId = 'f-list';
    await rejectsWith(sdk.desktopImages.list({ folderId: '' }), 3, /folder_id/);
    await rejectsWith(sdk.desktopImages.list({ folderId, pageSize: 1001 }), 3, /page_size: Value must be in range 0-1000/);
    await rejectsWith(sdk.desktopImages.list({ folderId, filter: 'status = "ACTIVE"' }), 3, /filter/);
    await rejectsWith(sdk.desktopImages.list({ folderId, filter: 'name = "a" OR name = "b"' }), 3, /filter/);
    await rejectsWith(sdk.desktopImages.list({ folderId, orderBy: 'size' }), 3, /order_by/);
    await rejectsWith(sdk.desktopImages.list({ folderId, pageToken: 'garbage' }), 3, /page_token/);
    const p = await sdk.desktopImages.list({ folderId, pageSize: 1 });
    await rejectsWith(sdk.desktopImages.list({ folderId, pageSize: 1, pageToken: p.nextPageToken, orderBy: 'name' }), 3, /page_token/);
    await rejectsWith(sdk.desktopImages.list({ folderId: 'other', pageSize: 1, pageToken: p.nextPageToken }), 3, /page_token/);
  });

  it('defaults page_size 0 to 100', async () => {
    const folder = 'f-many';
    await Promise.all(Array.from({ length: 105 }, (_, i) => sdk.desktopImages.copy({ folderId: folder, name: `m${i}`, imageId: computeImageId })));
    const page = await sdk.desktopImages.list({ folderId: folder });
    assert.equal(page.desktopImages.length, 100);
    assert.ok(page.nextPageToken);
  });
});

describe('DesktopImageService.Update', () => {
  it('changes only the fields in update_mask; labels are replaced whole', async () => {
    const img = await copy('f-upd', 'orig', { labels: { a: '1', b: '2' }, description: 'keep' });
    const op = await sdk.desktopImages.update({ imageId: img.id, updateMask: { paths: ['name', 'labels'] }, name: 'renamed', labels: { c: '3' } });
    assert.equal(op.description, 'Update desktop image');
    assert.equal(svc.UpdateDesktopImageMetadata.decode(op.metadata.value).imageId, img.id);
    const done = await waitDone(sdk, op);
    const out = DesktopImage.decode(done.response.value);
    assert.equal(out.name, 'renamed');
    assert.deepEqual(out.labels, { c: '3' });
    assert.equal(out.description, 'keep');
  });

  it('without a mask replaces every updatable field', async () => {
    const img = await copy('f-upd', 'full', { labels: { a: '1' }, description: 'old' });
    const done = await waitDone(sdk, await sdk.desktopImages.update({ imageId: img.id, name: 'full2' }));
    const out = DesktopImage.decode(done.response.value);
    assert.deepEqual([out.name, out.labels, out.description], ['full2', {}, '']);
  });

  it('rejects unknown or partial mask paths and unknown ids', async () => {
    const img = await copy('f-upd', 'mask');
    await rejectsWith(sdk.desktopImages.update({ imageId: img.id, updateMask: { paths: ['status'] } }), 3, /update_mask: Unknown field "status"/);
    await rejectsWith(sdk.desktopImages.update({ imageId: img.id, updateMask: { paths: ['labels.x'] } }), 3, /update_mask/);
    await rejectsWith(sdk.desktopImages.update({ imageId: img.id, name: 'n'.repeat(51) }), 3, /name/);
    await rejectsWith(sdk.desktopImages.update({ imageId: 'e3vnothere0000000000', name: 'x' }), 5);
  });

  it('serialises parallel updates of one image', async () => {
    const img = await copy('f-upd', 'race');
    const ops = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        sdk.desktopImages.update({ imageId: img.id, updateMask: { paths: ['labels'] }, labels: { n: String(i) } }),
      ),
    );
    const done = await Promise.all(ops.map((o: any) => waitDone(sdk, o)));
    assert.ok(done.every((d: any) => d.error === undefined));
    const final = await sdk.desktopImages.get({ imageId: img.id });
    assert.ok(done.some((d: any) => DesktopImage.decode(d.response.value).labels.n === final.labels.n));
  });
});

describe('DesktopImageService.Delete and OperationService', () => {
  it('deletes through DELETING and the operation ends with Empty', async () => {
    const img = await copy('f-del', 'gone');
    const op = await sdk.desktopImages.delete({ imageId: img.id });
    assert.equal(op.description, 'Delete desktop image');
    const done = await waitDone(sdk, op);
    assert.equal(done.response.typeUrl, 'type.googleapis.com/google.protobuf.Empty');
    await rejectsWith(sdk.desktopImages.get({ imageId: img.id }), 5);
    await rejectsWith(sdk.desktopImages.delete({ imageId: img.id }), 5);
  });

  it('Get/Cancel of unknown operations are NOT_FOUND; Cancel of a done one FAILED_PRECONDITION', async () => {
    await rejectsWith(sdk.operations.get({ operationId: 'e3vnothere0000000000' }), 5, /Operation e3vnothere0000000000 not found/);
    await rejectsWith(sdk.operations.cancel({ operationId: 'e3vnothere0000000000' }), 5);
    await rejectsWith(sdk.operations.get({ operationId: '' }), 3, /operation_id: Field is required/);
    const img = await copy('f-op', 'x');
    const op = await sdk.desktopImages.update({ imageId: img.id, name: 'y' });
    await waitDone(sdk, op);
    await rejectsWith(sdk.operations.cancel({ operationId: op.id }), 9);
  });

  it('cancels a running import: CANCELLED, and the image is gone', async () => {
    const path = `/slow?size=${4 * 1024 * 1024}`;
    const op = await sdk.images.create({ folderId: 'f-cancel', name: 'slow', uri: src.url(path) });
    // Cancel once the import is provably running: the source is sending it the body.
    const download = await src.sent(path, 1);
    const cancelled = await sdk.operations.cancel({ operationId: op.id });
    assert.equal(cancelled.done, true);
    assert.equal(cancelled.error.code, 1);
    const imageId = compute.imageService.CreateImageMetadata.decode(op.metadata.value).imageId;
    await rejectsWith(sdk.images.get({ imageId }), 5);
    const ended = await download.ended;
    assert.ok(ended.sent < ended.total, `the download was dropped mid-body (${ended.sent} of ${ended.total} bytes sent)`);
  });

  it('answers x-request-id (echoing the client one) and x-server-trace-id', async () => {
    const { Metadata } = await import('nice-grpc');
    const md = Metadata();
    md.set('x-request-id', 'my-req-123');
    md.set('authorization', `Bearer ${server.token}`); // per-call metadata replaces the client's
    let header: any;
    await sdk.desktopImages.list({ folderId: 'f-hdr' }, { metadata: md, onHeader: (h: any) => (header = h) });
    assert.equal(header.get('x-request-id'), 'my-req-123');
    assert.match(String(header.get('x-server-trace-id')), /^[0-9a-f]{32}$/);
  });
});

/** Paths of the committed blobs under `<data dir>/blobs/sha256`. */
function blobFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((shard) => readdirSync(join(dir, shard)).map((f) => join(dir, shard, f)));
}
