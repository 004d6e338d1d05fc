/**
 * Audit events of every mutating RPC, read back from the JSON Lines files of the default file
 * sink: a STARTED event when the operation is accepted and a DONE / ERROR / CANCELLED event
 * when it ends, sharing operation_id, with the envelope fields of api-conventions 11.1.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../harness/server.js';
import { compute, sdkFor, waitDone, type SdkClients } from '../harness/sdk.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { rejectsWith } from '../harness/assert-error.js';
import { operationEvents, readEvents, waitForEvents, withMetadata, type Event } from './audit-files.js';

let server: RunningServer;
let sdk: SdkClients;
let src: ImageSource;
let auditDir: string;

before(async () => {
  server = await startServer();
  sdk = sdkFor(server);
  src = await startImageSource();
  auditDir = join(server.dataDir, 'audit');
});

after(async () => {
  sdk.close();
  await src.close();
  await server.cleanup();
});

/** Fields every event of a call by the bootstrap admin over loopback has. */
function assertEnvelope(ev: Event, source: string, name: string, status: string, folderId: string): void {
  assert.match(ev.event_id, /^[a-z0-9]{20}$/);
  assert.equal(ev.event_source, source);
  assert.equal(ev.event_type, `yandex.cloud.audit.${source}.${name}`);
  assert.match(ev.event_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(ev.event_status, status);
  assert.deepEqual(ev.authentication, {
    authenticated: true, subject_type: 'BOOTSTRAP', subject_id: 'bootstrap', subject_name: 'bootstrap',
    ...(ev.authentication.token_info ? { token_info: ev.authentication.token_info } : {}),
  });
  assert.deepEqual(ev.authorization, { authorized: true });
  assert.deepEqual(ev.resource_metadata, {
    path: [{ resource_type: 'resource-manager.folder', resource_id: folderId, resource_name: folderId }],
  });
  assert.equal(ev.request_metadata.remote_address, '127.0.0.1');
  assert.match(ev.request_metadata.user_agent, /grpc-node-js/);
  assert.ok(ev.request_metadata.request_id);
  assert.equal(JSON.stringify(ev).includes(server.token), false, 'an event must never carry the token');
}

function assertPair(started: Event, final: Event, opId: string): void {
  assert.notEqual(started.event_id, final.event_id);
  assert.deepEqual(started.response, { operation_id: opId });
  assert.deepEqual(final.response, { operation_id: opId });
  assert.deepEqual(final.request_metadata, started.request_metadata);
  assert.deepEqual(final.request_parameters, started.request_parameters);
  assert.ok(final.event_time >= started.event_time);
}

describe('audit events of Compute images', () => {
  it('Create, Update, Delete: STARTED then DONE with request, details and response', async () => {
    const requestId = randomUUID();
    const key = randomUUID();
    const opts = withMetadata(server.token, { 'x-request-id': requestId, 'idempotency-key': key });
    const op = await sdk.images.create({ folderId: 'audit-c', name: 'src', uri: src.url('/raw?size=65536'), labels: { a: 'b' } }, opts);
    const done = await waitDone(sdk, op);
    const imageId = compute.image.Image.decode(done.response.value).id;
    const [started, final] = await operationEvents(auditDir, op.id);
    assertEnvelope(started, 'compute', 'CreateImage', 'STARTED', 'audit-c');
    assertEnvelope(final, 'compute', 'CreateImage', 'DONE', 'audit-c');
    assertPair(started, final, op.id);
    assert.deepEqual(started.request_metadata, { remote_address: '127.0.0.1', user_agent: started.request_metadata.user_agent, request_id: requestId, idempotency_id: key });
    // Query values of the uri (pre-signed credentials) are redacted, names kept (docs/security.md).
    assert.deepEqual(started.request_parameters, { folder_id: 'audit-c', name: 'src', uri: src.url('/raw?size=REDACTED'), labels: { a: 'b' } });
    assert.deepEqual(started.details, { image_id: imageId, image_name: 'src', folder_id: 'audit-c' });
    assert.deepEqual(final.details, started.details);
    assert.equal(final.error, undefined);

    const upd = await sdk.images.update({ imageId, updateMask: { paths: ['name'] }, name: 'renamed' });
    await waitDone(sdk, upd);
    const [s2, f2] = await operationEvents(auditDir, upd.id);
    assertEnvelope(s2, 'compute', 'UpdateImage', 'STARTED', 'audit-c');
    assertPair(s2, f2, upd.id);
    assert.equal(f2.event_status, 'DONE');
    assert.equal(s2.details.image_name, 'src');
    assert.equal(f2.details.image_name, 'renamed');
    assert.deepEqual(s2.request_parameters, { image_id: imageId, update_mask: 'name', name: 'renamed' });

    const del = await sdk.images.delete({ imageId });
    await waitDone(sdk, del);
    const [s3, f3] = await operationEvents(auditDir, del.id);
    assertEnvelope(f3, 'compute', 'DeleteImage', 'DONE', 'audit-c');
    assertPair(s3, f3, del.id);
    assert.deepEqual(f3.details, { image_id: imageId, image_name: 'renamed', folder_id: 'audit-c' });
  });

  it('a failed import ends with an ERROR event carrying the google.rpc.Status', async () => {
    const op = await sdk.images.create({ folderId: 'audit-c', name: 'broken', uri: src.url('/missing') });
    const done = await waitDone(sdk, op);
    const [started, final] = await operationEvents(auditDir, op.id);
    assertEnvelope(final, 'compute', 'CreateImage', 'ERROR', 'audit-c');
    assertPair(started, final, op.id);
    assert.equal(final.error.code, done.error.code);
    assert.equal(final.error.message, done.error.message);
    assert.deepEqual(final.error.details, []);
  });

  it('a cancelled import ends with a CANCELLED event (code 1)', async () => {
    const op = await sdk.images.create({ folderId: 'audit-c', name: 'slow', uri: src.url('/slow?size=104857600') });
    await src.sent('/slow?size=104857600', 1); // the import is running: its body is flowing
    await sdk.operations.cancel({ operationId: op.id });
    const [, final] = await operationEvents(auditDir, op.id);
    assertEnvelope(final, 'compute', 'CreateImage', 'CANCELLED', 'audit-c');
    assert.equal(final.error.code, 1);
  });
});

describe('audit events of desktop images', () => {
  it('Copy, Update, Delete: STARTED then DONE; List and Get write nothing', async () => {
    const imp = await waitDone(sdk, await sdk.images.create({ folderId: 'audit-d', name: 'base', uri: src.url('/raw?size=65536') }));
    const computeId = compute.image.Image.decode(imp.response.value).id;
    const copy = await sdk.desktopImages.copy({ folderId: 'audit-d', name: 'desk', imageId: computeId, description: 'd' });
    await waitDone(sdk, copy);
    const [s1, f1] = await operationEvents(auditDir, copy.id);
    assertEnvelope(s1, 'clouddesktop', 'CopyDesktopImage', 'STARTED', 'audit-d');
    assertEnvelope(f1, 'clouddesktop', 'CopyDesktopImage', 'DONE', 'audit-d');
    assertPair(s1, f1, copy.id);
    assert.deepEqual(s1.request_parameters, { folder_id: 'audit-d', name: 'desk', image_id: computeId, description: 'd' });
    const imageId = s1.details.desktop_image_id;
    assert.deepEqual(f1.details, { desktop_image_id: imageId, desktop_image_name: 'desk', folder_id: 'audit-d' });

    const before = readEvents(auditDir).length;
    await sdk.desktopImages.get({ imageId });
    await sdk.desktopImages.list({ folderId: 'audit-d' });

    const upd = await sdk.desktopImages.update({ imageId, updateMask: { paths: ['labels'] }, labels: { team: 'qa' } });
    await waitDone(sdk, upd);
    const [s2, f2] = await operationEvents(auditDir, upd.id);
    assertEnvelope(s2, 'clouddesktop', 'UpdateDesktopImage', 'STARTED', 'audit-d');
    assertPair(s2, f2, upd.id);
    assert.deepEqual(s2.request_parameters, { image_id: imageId, update_mask: 'labels', labels: { team: 'qa' } });

    const del = await sdk.desktopImages.delete({ imageId });
    await waitDone(sdk, del);
    const [s3, f3] = await operationEvents(auditDir, del.id);
    assertEnvelope(s3, 'clouddesktop', 'DeleteDesktopImage', 'STARTED', 'audit-d');
    assertEnvelope(f3, 'clouddesktop', 'DeleteDesktopImage', 'DONE', 'audit-d');
    // Get and List added nothing: only the four events of Update and Delete came after them.
    assert.equal(readEvents(auditDir).length, before + 4);
    const ids = readEvents(auditDir).map((e) => e.event_id);
    assert.equal(new Set(ids).size, ids.length, 'event ids are unique');
  });

  it('a refused call leaves one ERROR event without an operation', async () => {
    const requestId = randomUUID();
    await rejectsWith(
      sdk.desktopImages.copyFromDesktop({ desktopId: 'e3v00000000000000000', folderId: 'audit-r' }, withMetadata(server.token, { 'x-request-id': requestId })),
      5,
    );
    const events = await waitForEvents(auditDir, (evs) => evs.some((e) => e.request_metadata.request_id === requestId));
    const [ev] = events.filter((e) => e.request_metadata.request_id === requestId);
    assertEnvelope(ev!, 'clouddesktop', 'CopyDesktopImageFromDesktop', 'ERROR', 'audit-r');
    assert.deepEqual(ev!.error, { code: 5, message: 'Desktop e3v00000000000000000 not found', details: [] });
    assert.equal(ev!.response, undefined);
    assert.deepEqual(ev!.request_parameters, { desktop_id: 'e3v00000000000000000', folder_id: 'audit-r' });
  });
});
