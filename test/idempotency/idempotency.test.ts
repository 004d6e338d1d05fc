/**
 * idempotency-key (docs/decisions.md point 7) through the official SDK: replays return the original
 * Operation in its current state and do nothing else, before and after a restart; a used key
 * with another body is INVALID_ARGUMENT; the key must be a UUID; reads ignore it; concurrent
 * requests with one key create one resource.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../harness/server.js';
import { cloudDesktop, compute, sdkFor, waitDone, type SdkClients } from '../harness/sdk.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { rejectsWith } from '../harness/assert-error.js';
import { eventsOf, readEvents, waitForEvents, withMetadata } from '../audit/audit-files.js';
import { restFor } from '../rest/rest-client.js';
import { assertHolds } from '../harness/wait.js';

let server: RunningServer;
let sdk: SdkClients;
let src: ImageSource;
let computeId: string;

const keyed = (key: string) => withMetadata(server.token, { 'idempotency-key': key });
const countIn = async (folderId: string) => (await sdk.desktopImages.list({ folderId })).desktopImages.length;

before(async () => {
  server = await startServer();
  sdk = sdkFor(server);
  src = await startImageSource();
  const op = await waitDone(sdk, await sdk.images.create({ folderId: 'idem-src', name: 'base', uri: src.url('/raw?size=65536') }));
  computeId = compute.image.Image.decode(op.response.value).id;
});

after(async () => {
  sdk.close();
  await src.close();
  await server.cleanup();
});

describe('idempotency-key', () => {
  it('a replay returns the original operation in its current state and creates nothing', async () => {
    const key = randomUUID();
    const req = { folderId: 'idem-1', name: 'once', imageId: computeId };
    const first = await sdk.desktopImages.copy(req, keyed(key));
    const done = await waitDone(sdk, first);
    const replay = await sdk.desktopImages.copy(req, keyed(key));
    assert.equal(replay.id, first.id);
    assert.equal(replay.done, true, 'the current state, not the state of the first answer');
    assert.deepEqual(replay.response, done.response);
    assert.deepEqual(replay.createdAt, first.createdAt);
    assert.equal(await countIn('idem-1'), 1);
    // No second STARTED event: the replay ran nothing.
    const auditDir = join(server.dataDir, 'audit');
    await waitForEvents(auditDir, (evs) => eventsOf(evs, first.id).length === 2);
    // Proving an absence: a second STARTED would come within moments of the replay; watch for
    // one throughout a bounded window of 300 ms, then check the exact list.
    await assertHolds(() => eventsOf(readEvents(auditDir), first.id).length === 2, { forMs: 300, what: 'the replay adds no audit event' });
    assert.deepEqual(eventsOf(readEvents(auditDir), first.id).map((e) => e.event_status), ['STARTED', 'DONE']);
    const started = eventsOf(readEvents(auditDir), first.id)[0]!;
    assert.equal(started.request_metadata.idempotency_id, key);
  });

  it('the same key with a different request is INVALID_ARGUMENT naming idempotency-key', async () => {
    const key = randomUUID();
    await waitDone(sdk, await sdk.desktopImages.copy({ folderId: 'idem-2', name: 'a', imageId: computeId }, keyed(key)));
    await rejectsWith(
      sdk.desktopImages.copy({ folderId: 'idem-2', name: 'b', imageId: computeId }, keyed(key)),
      3,
      /^Request validation error: idempotency-key: Key was already used with a different request$/,
    );
    assert.equal(await countIn('idem-2'), 1);
  });

  it('is scoped by method: the same key on another RPC is a new request', async () => {
    const key = randomUUID();
    const copy = await waitDone(sdk, await sdk.desktopImages.copy({ folderId: 'idem-3', name: 'a', imageId: computeId }, keyed(key)));
    const imageId = cloudImageId(copy);
    const upd = await sdk.desktopImages.update({ imageId, updateMask: { paths: ['name'] }, name: 'b' }, keyed(key));
    assert.notEqual(upd.id, copy.id);
    await waitDone(sdk, upd);
  });

  it('must be a UUID on mutating calls; reads ignore it', async () => {
    await rejectsWith(
      sdk.desktopImages.copy({ folderId: 'idem-4', name: 'a', imageId: computeId }, keyed('not-a-uuid')),
      3,
      /idempotency-key: Value must be a UUID/,
    );
    assert.equal(await countIn('idem-4'), 0);
    const res = await sdk.desktopImages.list({ folderId: 'idem-4' }, keyed('not-a-uuid'));
    assert.deepEqual(res.desktopImages, []);
  });

  it('a request that fails before an operation exists does not hold the key', async () => {
    const key = randomUUID();
    await rejectsWith(sdk.desktopImages.delete({ imageId: 'e3v00000000000000001' }, keyed(key)), 5);
    await rejectsWith(sdk.desktopImages.delete({ imageId: 'e3v00000000000000001' }, keyed(key)), 5);
  });

  it('10 concurrent requests with one key create one resource and all get its operation', async () => {
    const key = randomUUID();
    const req = { folderId: 'idem-5', name: 'race', imageId: computeId };
    const ops = await Promise.all(Array.from({ length: 10 }, () => sdk.desktopImages.copy(req, keyed(key))));
    assert.equal(new Set(ops.map((o: { id: string }) => o.id)).size, 1);
    await waitDone(sdk, ops[0]);
    assert.equal(await countIn('idem-5'), 1);
  });

  it('works the same over REST (Idempotency-Key header), and one key covers both protocols', async () => {
    const rest = restFor(server);
    const key = randomUUID();
    const body = { folderId: 'idem-rest', name: 'r', imageId: computeId };
    const first = await rest.post('/cloud-desktop/v1/images:copy', body, { headers: { 'Idempotency-Key': key } });
    assert.equal(first.status, 200, first.text);
    const again = await rest.post('/cloud-desktop/v1/images:copy', body, { headers: { 'Idempotency-Key': key } });
    assert.equal(again.json.id, first.json.id);
    assert.equal((await sdk.desktopImages.copy(body, keyed(key))).id, first.json.id);
    const bad = await rest.post('/cloud-desktop/v1/images:copy', body, { headers: { 'Idempotency-Key': 'nope' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.message, 'Request validation error: idempotency-key: Value must be a UUID');
    await rest.waitDone(first.json);
    assert.equal(await countIn('idem-rest'), 1);
    const [started] = eventsOf(await waitForEvents(join(server.dataDir, 'audit'), (evs) => eventsOf(evs, first.json.id).length === 2), first.json.id);
    assert.equal(started!.request_metadata.remote_address, '127.0.0.1');
    assert.equal(started!.request_metadata.idempotency_id, key);
  });

  it('replays after a graceful restart and after kill -9 return the original operation', async () => {
    const key = randomUUID();
    const req = { folderId: 'idem-6', name: 'durable', imageId: computeId };
    const first = await sdk.desktopImages.copy(req, keyed(key));
    await waitDone(sdk, first);
    sdk.close();
    server = await server.restart();
    sdk = sdkFor(server);
    assert.equal((await sdk.desktopImages.copy(req, keyed(key))).id, first.id);

    const key2 = randomUUID();
    const second = await sdk.desktopImages.copy({ ...req, name: 'acked' }, keyed(key2));
    sdk.close();
    await server.kill();
    server = await startServer({ dataDir: server.dataDir });
    sdk = sdkFor(server);
    const replay = await sdk.desktopImages.copy({ ...req, name: 'acked' }, keyed(key2));
    assert.equal(replay.id, second.id);
    await waitDone(sdk, replay);
    await rejectsWith(sdk.desktopImages.copy(req, keyed(key2)), 3, /idempotency-key/);
    assert.equal(await countIn('idem-6'), 2);
  });
});

function cloudImageId(op: { metadata: { value: Uint8Array } }): string {
  return cloudDesktop.desktopImageService.CopyDesktopImageMetadata.decode(op.metadata.value).imageId;
}
