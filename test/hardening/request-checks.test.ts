/**
 * The smaller hardening findings, against a real server: malformed protobuf is INVALID_ARGUMENT
 * (after authentication) and logged, REST bodies with a repeated key or bytes that are not UTF-8
 * are 400 naming the problem, control characters in a name are refused on both protocols, and a
 * client that drops an upload midway is CANCELLED at info level, not an error.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { startServer, type RunningServer } from '../harness/server.js';
import { sdkFor, type SdkClients } from '../harness/sdk.js';
import { rejectsWith } from '../harness/assert-error.js';
import { waitFor } from '../harness/wait.js';

let server: RunningServer;
let admin: SdkClients;
let raw: grpc.Client;

before(async () => {
  server = await startServer();
  admin = sdkFor(server);
  raw = new grpc.Client(server.address, grpc.credentials.createInsecure());
});

after(async () => {
  raw.close();
  admin.close();
  await server.cleanup();
});

function call(path: string, body: Buffer, token?: string): Promise<grpc.ServiceError | undefined> {
  const md = new grpc.Metadata();
  if (token) md.set('authorization', `Bearer ${token}`);
  return new Promise((resolve) =>
    raw.makeUnaryRequest(path, (b: Buffer) => b, (b: Buffer) => b, body, md, (err) => resolve(err ?? undefined)));
}

const post = (path: string, body: Buffer | string) => fetch(`http://${server.address}${path}`, {
  method: 'POST', headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' }, body,
});

describe('request checks', () => {
  it('answers INVALID_ARGUMENT for bytes that are not protobuf, after authentication, with a log line', async () => {
    const get = '/yandex.cloud.clouddesktop.v1.api.DesktopImageService/Get';
    for (const garbage of [Buffer.from([0x0a, 0xff]), Buffer.from([0xff, 0xff, 0xff]), Buffer.from([0x0f])]) {
      const err = await call(get, garbage, server.token);
      assert.equal(err?.code, grpc.status.INVALID_ARGUMENT, err?.details);
      assert.match(err!.details, /not a valid yandex\.cloud\.clouddesktop\.v1\.api\.GetDesktopImageRequest message/);
    }
    assert.equal((await call(get, Buffer.from([0x0f])))?.code, grpc.status.UNAUTHENTICATED);
    await waitFor(() => server.logs.some((l) => l['method'] === get && l['code'] === 'INVALID_ARGUMENT'), { timeoutMs: 5000, what: 'a log line' });
  });

  it('refuses a REST body with a repeated key, naming it, and one that is not UTF-8', async () => {
    const dup = await post('/compute/v1/images', '{"folderId":"f-req","name":"a","name":"b","uri":"https://example.com/x.qcow2"}');
    assert.equal(dup.status, 400);
    const body = (await dup.json()) as { code: number; details: { fieldViolations?: { field: string }[] }[] };
    assert.equal(body.code, 3);
    assert.equal(body.details[0]?.fieldViolations?.[0]?.field, 'name');
    const bytes = Buffer.concat([Buffer.from('{"folderId":"f-req","name":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const bad = await post('/compute/v1/images', bytes);
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { message: string }).message, /not valid UTF-8/);
  });

  it('refuses control characters in a name on both protocols', async () => {
    const res = await post('/compute/v1/images', JSON.stringify({ folderId: 'f-req', name: 'a\u0000b', uri: 'https://example.com/x.qcow2' }));
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { message: string }).message, /name: Must not contain control characters/);
    await rejectsWith(admin.desktopImages.update({ desktopImageId: 'none', name: 'esc\u001b[2J' }), 3, /name: Must not contain control characters/);
  });

  it('logs a client that drops an upload midway at info, as CANCELLED', async () => {
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.write(`POST /compute/v1/images HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${server.token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"folderId":`);
    await new Promise((r) => setTimeout(r, 200));
    socket.destroy();
    await waitFor(() => server.logs.some((l) => l['http'] === 'POST /compute/v1/images' && l['code'] === 'CANCELLED'), { timeoutMs: 5000, what: 'the CANCELLED line' });
    assert.deepEqual(server.logs.filter((l) => Number(l['level']) >= 50), []);
  });
});
