/**
 * REST over TLS on the one port: a self-signed certificate for localhost/127.0.0.1, then curl
 * (HTTP/1.1 forced and curl's default ALPN offer) and node:https against the same listener that
 * serves gRPC over h2.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import selfsigned from 'selfsigned';
import { startServer, type RunningServer } from '../harness/server.js';

const run = promisify(execFile);

let server: RunningServer;
let dir: string;
let ca: string;
let caFile: string;

before(async () => {
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  dir = mkdtempSync(join(tmpdir(), 'clouddesk-tls-'));
  ca = pems.cert;
  caFile = join(dir, 'cert.pem');
  writeFileSync(caFile, pems.cert);
  writeFileSync(join(dir, 'key.pem'), pems.private, { mode: 0o600 });
  server = await startServer({ args: ['--tls-cert', caFile, '--tls-key', join(dir, 'key.pem')] });
});

after(async () => {
  await server.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function curl(...args: string[]): Promise<{ stdout: string }> {
  return run('curl', ['-s', '--cacert', caFile, '-H', `authorization: Bearer ${server.token}`, ...args]);
}

describe('REST over TLS', () => {
  it('curl --http1.1 lists images and gets errors as JSON', async () => {
    const { stdout } = await curl('--http1.1', '-i', `https://127.0.0.1:${server.port}/cloud-desktop/v1/images?folderId=tls`);
    assert.match(stdout, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(stdout, /\r\nx-request-id: \S+\r\n/i);
    assert.deepEqual(JSON.parse(stdout.slice(stdout.indexOf('\r\n\r\n') + 4)), {});
    const { stdout: err } = await curl('--http1.1', `https://localhost:${server.port}/cloud-desktop/v1/images/e3vnothere0000000000`);
    assert.equal(JSON.parse(err).message, 'Desktop image e3vnothere0000000000 not found');
  });

  // curl offers h2 before http/1.1; the listener picks http/1.1 whenever it is offered, since
  // gRPC clients offer h2 alone.
  it('curl with its default ALPN offer (h2, http/1.1) gets REST', async () => {
    const { stdout } = await curl('-w', '\\n%{http_code} %{http_version}', `https://localhost:${server.port}/cloud-desktop/v1/images?folderId=tls`);
    const [body, status] = stdout.split('\n');
    assert.deepEqual(JSON.parse(body!), {});
    assert.match(status!, /^200 /);
  });

  it('node:https (fetch-like client, ALPN http/1.1) gets REST', async () => {
    const res = await new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const req = https.request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/operations/e3vnothere0000000000:cancel',
          method: 'POST',
          ca,
          servername: 'localhost',
          headers: { authorization: `Bearer ${server.token}`, 'x-request-id': 'tls-1' },
        },
        (r) => {
          let body = '';
          r.setEncoding('utf8');
          r.on('data', (c: string) => (body += c));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, headers: r.headers, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    assert.equal(res.status, 404);
    assert.equal(res.headers['x-request-id'], 'tls-1');
    const status = JSON.parse(res.body);
    assert.equal(status.code, 5);
    assert.equal(status.message, 'Operation e3vnothere0000000000 not found');
  });
});
