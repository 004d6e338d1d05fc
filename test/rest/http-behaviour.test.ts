/**
 * HTTP-level behaviour of the REST gateway: unknown paths and verbs, body size limit, request
 * and trace id headers on every answer, health endpoints, and plain curl against the server.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startServer, type RunningServer } from '../harness/server.js';
import { assertStatus, restFor, type Rest } from './rest-client.js';
import { waitFor } from '../harness/wait.js';

const run = promisify(execFile);

let server: RunningServer;
let rest: Rest;

before(async () => {
  server = await startServer();
  rest = restFor(server);
});

after(async () => {
  await server.cleanup();
});

describe('routing errors', () => {
  it('an unknown path is 404 with a google.rpc.Status body', async () => {
    for (const path of ['/nope', '/cloud-desktop/v1/images/x/y', '/cloud-desktop/v1/images/', '/cloud-desktop/v2/images']) {
      assertStatus(await rest.get(path), 404, 5, /^Path \S+ not found$/);
    }
  });

  it('a known path with another verb is 405 with Allow, same body shape', async () => {
    const res = await rest.request('PUT', '/cloud-desktop/v1/images/e3vsomething000000000');
    assertStatus(res, 405, 12, /^Method PUT is not allowed for \S+; allowed: DELETE, GET, PATCH$/);
    assert.equal(res.headers.get('allow'), 'DELETE, GET, PATCH');
    const list = await rest.delete('/cloud-desktop/v1/images');
    assertStatus(list, 405, 12);
    assert.equal(list.headers.get('allow'), 'GET');
  });

  it('Operation :cancel answers GET (as annotated) and POST (docs/decisions.md point 1)', async () => {
    for (const verb of ['GET', 'POST']) {
      assertStatus(await rest.request(verb, '/operations/e3vnothere0000000000:cancel'), 404, 5, /^Operation e3vnothere0000000000 not found$/);
    }
    assert.equal((await rest.request('DELETE', '/operations/x:cancel')).headers.get('allow'), 'GET, POST');
  });
});

describe('request bodies', () => {
  it('over 1 MiB are refused with 413 and an INVALID_ARGUMENT status', async () => {
    const big = JSON.stringify({ folderId: 'f', name: 'n', imageId: 'i', description: 'x'.repeat(1024 * 1024) });
    const res = await rest.post('/cloud-desktop/v1/images:copy', big);
    assert.equal(res.status, 413, res.text);
    assert.equal(res.json.code, 3);
    assert.match(res.json.message, /^Request body is larger than 1048576 bytes$/);
    // The server stays healthy for the next request.
    assert.equal((await rest.get('/healthz')).status, 200);
  });
});

describe('the rpc log line', () => {
  it('is one JSON line per call: method, protocol, code, duration, request id and subject, never the token', async () => {
    const requestId = 'log-line-42';
    const before = Date.now();
    assertStatus(await rest.get('/cloud-desktop/v1/images/e3vnothere0000000000', { headers: { 'x-request-id': requestId } }), 404, 5);
    const after = Date.now();
    const line = await waitFor(() => server.logs.find((l) => l['msg'] === 'rpc' && l['requestId'] === requestId), { what: 'the rpc log line' });
    // Written after the call (logger.ts, logRpc), but with the time the call ended.
    const at = Date.parse(String(line['time']));
    assert.ok(at >= before && at <= after, `logged at ${line['time']}, the call ran from ${new Date(before).toISOString()} to ${new Date(after).toISOString()}`);
    assert.deepEqual(Object.keys(line), ['level', 'time', 'service', 'logger', 'method', 'protocol', 'code', 'durationMs', 'requestId', 'subject', 'msg']);
    assert.equal(line['logger'], 'rpc');
    assert.equal(line['method'], '/yandex.cloud.clouddesktop.v1.api.DesktopImageService/Get');
    assert.equal(line['protocol'], 'rest');
    assert.equal(line['code'], 'NOT_FOUND');
    assert.equal(typeof line['durationMs'], 'number');
    assert.equal(line['subject'], 'bootstrap');
    assert.equal(JSON.stringify(line).includes(server.token), false);
  });
});

describe('request ids', () => {
  it('echo the client x-request-id on success, error, 404 and health', async () => {
    for (const path of ['/cloud-desktop/v1/images?folderId=ids', '/cloud-desktop/v1/images/e3vnothere0000000000', '/nope', '/healthz', '/readyz']) {
      const res = await rest.get(path, { headers: { 'x-request-id': 'my-req-42' } });
      assert.equal(res.headers.get('x-request-id'), 'my-req-42', path);
      assert.match(res.headers.get('x-server-trace-id') ?? '', /^[0-9a-f]{32}$/, path);
      if (res.status >= 400) assert.equal(res.json.details.at(-1).requestId, 'my-req-42');
    }
  });

  it('are on every other kind of answer too: 405, the OpenAPI document, the console, /metrics', async () => {
    const answers = [
      ['a 405', await rest.request('PUT', '/cloud-desktop/v1/images/e3vsomething000000000', { headers: { 'x-request-id': 'my-req-43' } })],
      ['the OpenAPI document', await rest.get('/openapi.json', { headers: { 'x-request-id': 'my-req-43' } })],
      ['the console', await rest.get('/console/', { headers: { 'x-request-id': 'my-req-43' } })],
      ['/metrics', await rest.get('/metrics', { headers: { 'x-request-id': 'my-req-43' } })],
    ] as const;
    for (const [what, res] of answers) {
      assert.equal(res.headers.get('x-request-id'), 'my-req-43', what);
      assert.match(res.headers.get('x-server-trace-id') ?? '', /^[0-9a-f]{32}$/, what);
    }
    assert.deepEqual(answers.map(([, res]) => res.status), [405, 200, 200, 200]);
  });

  it('take x-client-request-id, and generate one when none (or an unsafe one) is sent', async () => {
    const client = await rest.get('/nope', { headers: { 'x-client-request-id': 'c-1' } });
    assert.equal(client.headers.get('x-request-id'), 'c-1');
    for (const headers of [{}, { 'x-request-id': 'bad id with spaces' }] as Record<string, string>[]) {
      const res = await rest.get('/cloud-desktop/v1/images?folderId=ids', { headers });
      assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    }
    const a = await rest.get('/healthz');
    const b = await rest.get('/healthz');
    assert.notEqual(a.headers.get('x-server-trace-id'), b.headers.get('x-server-trace-id'));
  });
});

describe('health', () => {
  it('GET /healthz and /readyz answer SERVING', async () => {
    for (const path of ['/healthz', '/readyz']) {
      const res = await rest.get(path);
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, { status: 'SERVING' });
    }
  });
});

describe('curl', () => {
  it('lists images with plain curl and reads proto3 JSON back', async () => {
    const auth = `authorization: Bearer ${server.token}`;
    const base = `http://127.0.0.1:${server.port}`;
    const { stdout: empty } = await run('curl', ['-s', `${base}/cloud-desktop/v1/images?folderId=x`, '-H', auth]);
    assert.deepEqual(JSON.parse(empty), {});
    // curl -d without a content type, as a new user would type it.
    const { stdout: copied } = await run('curl', ['-s', '-H', auth, '-d', '{"folderId":"x","name":"n","imageId":"fd8nothere0000000000"}', `${base}/cloud-desktop/v1/images:copy`]);
    const err = JSON.parse(copied);
    assert.equal(err.code, 5);
    assert.equal(err.message, 'Image fd8nothere0000000000 not found');
    const { stdout: head } = await run('curl', ['-s', '-i', `${base}/cloud-desktop/v1/images?folderId=x&pageSize=5000`, '-H', auth]);
    assert.match(head, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.match(head, /\r\nx-request-id: \S+\r\n/i);
    assert.match(head, /\r\ncontent-type: application\/json/i);
  });
});
