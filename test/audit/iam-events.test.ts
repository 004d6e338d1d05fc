/**
 * Audit events of the IAM mutations (service accounts, keys, access bindings) and of calls IAM
 * refuses: a PERMISSION_DENIED leaves an ERROR event with `authorization.authorized: false`
 * and the caller's service account and token id. No secret (IAM token, private key, JWT)
 * ever reaches the audit files.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startServer, type RunningServer } from '../harness/server.js';
import { compute, sdkFor, waitDone, type SdkClients } from '../harness/sdk.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { rejectsWith } from '../harness/assert-error.js';
import { createIdentity, type Identity } from '../harness/iam.js';
import { readEvents, waitForEvents, withMetadata, type Event } from './audit-files.js';

let server: RunningServer;
let admin: SdkClients;
let src: ImageSource;
let auditDir: string;
let viewer: Identity;

before(async () => {
  server = await startServer();
  admin = sdkFor(server);
  src = await startImageSource();
  auditDir = join(server.dataDir, 'audit');
  viewer = await createIdentity(admin, { name: 'audit-viewer', grants: [['audit-iam', 'vdi.viewer']] });
});

after(async () => {
  admin.close();
  await src.close();
  await server.cleanup();
});

const ofType = (events: Event[], name: string) => events.filter((e) => e.event_type.endsWith(`.${name}`));

describe('audit events of IAM', () => {
  it('service account, key and access binding changes are recorded', async () => {
    const events = await waitForEvents(auditDir, (evs) =>
      ofType(evs, 'CreateServiceAccount').length === 2 && ofType(evs, 'CreateKey').length === 1 && ofType(evs, 'UpdateFolderAccessBindings').length === 2,
    );
    const sa = ofType(events, 'CreateServiceAccount');
    assert.deepEqual(sa.map((e) => [e.event_source, e.event_status]), [['iam', 'STARTED'], ['iam', 'DONE']]);
    assert.equal(sa[0]!.response.operation_id, sa[1]!.response.operation_id);
    const [key] = ofType(events, 'CreateKey');
    assert.equal(key!.event_status, 'DONE');
    assert.equal(key!.authentication.subject_id, 'bootstrap');
    const bindings = ofType(events, 'UpdateFolderAccessBindings');
    assert.equal(bindings[0]!.event_source, 'resourcemanager');
    assert.deepEqual(bindings[0]!.resource_metadata.path[0].resource_id, 'audit-iam');
  });

  it('a PERMISSION_DENIED call is recorded with authorized: false and the caller identity', async () => {
    const imp = await waitDone(admin, await admin.images.create({ folderId: 'audit-iam', name: 'base', uri: src.url('/raw?size=65536') }));
    const computeId = compute.image.Image.decode(imp.response.value).id;
    await waitDone(admin, await admin.desktopImages.copy({ folderId: 'audit-iam', name: 'd', imageId: computeId }));
    const imageId = (await admin.desktopImages.list({ folderId: 'audit-iam' })).desktopImages[0].id;
    const requestId = randomUUID();
    const sdk = sdkFor(server, viewer.token);
    try {
      await rejectsWith(sdk.desktopImages.delete({ imageId }, withMetadata(viewer.token, { 'x-request-id': requestId })), 7);
    } finally {
      sdk.close();
    }
    const events = await waitForEvents(auditDir, (evs) => evs.some((e) => e.request_metadata.request_id === requestId));
    const denied = events.find((e) => e.request_metadata.request_id === requestId)!;
    assert.equal(denied.event_type, 'yandex.cloud.audit.clouddesktop.DeleteDesktopImage');
    assert.equal(denied.event_status, 'ERROR');
    assert.deepEqual(denied.authorization, { authorized: false });
    assert.equal(denied.error.code, 7);
    assert.equal(denied.authentication.authenticated, true);
    assert.equal(denied.authentication.subject_type, 'SERVICE_ACCOUNT');
    assert.equal(denied.authentication.subject_id, viewer.serviceAccountId);
    assert.equal(denied.authentication.subject_name, 'audit-viewer');
    assert.match(denied.authentication.token_info.iam_token_id, /\S/);
    assert.equal(denied.response, undefined);
  });

  it('no token, private key or JWT in any audit file', async () => {
    await waitForEvents(auditDir, (evs) => evs.length > 0);
    const text = readdirSync(auditDir).map((f) => readFileSync(join(auditDir, f), 'utf8')).join('\n');
    const pemBody = viewer.privateKey.split('\n').find((l) => l.length > 40)!;
    for (const secret of [server.token, viewer.token, pemBody]) {
      assert.equal(text.includes(secret), false, 'a secret reached the audit log');
    }
    assert.doesNotMatch(text, /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/, 'no JWT');
    assert.doesNotMatch(text, /PRIVATE KEY/);
    assert.ok(readEvents(auditDir).every((e) => typeof e.event_id === 'string'));
  });
});
