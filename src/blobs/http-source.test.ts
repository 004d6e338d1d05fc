import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestCert } from '../../test/harness/tls.js';
import { after, before, describe, it } from 'node:test';
import { requestError, statusError, UNFETCHABLE } from './download-errors.js';
import { LOCAL_SOURCE, startFakeSource, type FakeSource } from './fake-source.js';
import { DEFAULT_FETCH_RULES, FetchPolicy } from './fetch-policy.js';
import { openHttpSource } from './http-source.js';

/** A TCP server on 127.0.0.1 that answers every connection with `onConnect`. */
async function tcpServer(onConnect: (socket: net.Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => onConnect(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const open = (url: string, policy = LOCAL_SOURCE.policy) => openHttpSource(new URL(url), { stallTimeoutMs: 2000, policy });

/** Whatever stopped the connection, the caller reads the same. */
const UNFETCHABLE_ERROR = { name: 'UnavailableError', message: UNFETCHABLE };

describe('openHttpSource', () => {
  let src: FakeSource;
  before(async () => (src = await startFakeSource()));
  after(() => src.close());

  it('follows redirects and tells where the body came from', async () => {
    const s = await open(src.url('/hops/2'));
    s.close();
    assert.equal(s.url.pathname, '/hops/0');
    assert.equal(s.contentLength, 100_000);
  });

  it('says the same for a refused port, a reset, a non-HTTP service, TLS and DNS', async () => {
    const reset = await tcpServer((socket) => socket.destroy());
    const ssh = await tcpServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n'));
    const closed = await tcpServer(() => undefined);
    await closed.close();
    try {
      await assert.rejects(open(`http://127.0.0.1:${closed.port}/`), UNFETCHABLE_ERROR);
      await assert.rejects(open(`http://127.0.0.1:${reset.port}/`), UNFETCHABLE_ERROR);
      await assert.rejects(open(`http://127.0.0.1:${ssh.port}/`), UNFETCHABLE_ERROR);
      await assert.rejects(open(`https://127.0.0.1:${ssh.port}/`), UNFETCHABLE_ERROR);
      await assert.rejects(open('http://no-such-host.invalid/'), UNFETCHABLE_ERROR);
      await assert.rejects(open(src.url('/raw'), new FetchPolicy(DEFAULT_FETCH_RULES)), UNFETCHABLE_ERROR); // loopback refused
    } finally {
      await reset.close();
      await ssh.close();
    }
  });

  it('refuses a redirect to 127.0.0.1 from an allowed host, in any spelling', async () => {
    // 127.0.0.2 is loopback too (Linux routes 127/8 to lo); only it is allowed here, by CIDR.
    const allowed = await startFakeSource('127.0.0.2');
    const policy = new FetchPolicy({ ...DEFAULT_FETCH_RULES, allowedHosts: ['127.0.0.2/32'], allowedPorts: [] });
    try {
      (await open(allowed.url('/raw'), policy)).close(); // the allowed host itself is fetched
      const port = new URL(src.url('/')).port;
      for (const target of ['127.0.0.1', '2130706433', '0x7f.1', '127.1', '[::ffff:127.0.0.1]', 'localhost']) {
        const to = encodeURIComponent(`http://${target}:${port}/raw`);
        await assert.rejects(open(allowed.url(`/to/${to}`), policy), UNFETCHABLE_ERROR, target);
      }
    } finally {
      await allowed.close();
    }
  });

  it('connects to the address the policy checked, keeping the name in Host', async () => {
    // images.test exists only in this resolver: the connection can only have used its answer.
    const policy = new FetchPolicy({ ...DEFAULT_FETCH_RULES, allowPrivate: true }, async () => [{ address: '127.0.0.1', family: 4 }]);
    const port = new URL(src.url('/')).port;
    const s = await open(`http://images.test:${port}/raw`, policy);
    s.close();
    assert.equal(s.contentLength, 100_000);
    assert.equal(src.hosts.at(-1), `images.test:${port}`);
  });

  it('refuses a redirect from https to http', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clouddesk-tls-'));
    const cert = await makeTestCert(dir);
    const server = https.createServer({ cert: readFileSync(cert.certFile), key: readFileSync(cert.keyFile) }, (_req, res) => {
      res.writeHead(302, { location: src.url('/raw') }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    // The throwaway certificate is self-signed; trust is not what this test is about.
    const saved = process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
    process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';
    try {
      const { port } = server.address() as net.AddressInfo;
      await assert.rejects(open(`https://127.0.0.1:${port}/`), {
        name: 'FailedPreconditionError',
        message: 'uri: source redirected from https to http, which is refused',
      });
    } finally {
      if (saved === undefined) delete process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
      else process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = saved;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('drops user:password@ from a redirect target instead of sending it', async () => {
    const to = encodeURIComponent(src.url('/raw').replace('http://', 'http://admin:secret@'));
    const before = src.authorizations.length;
    (await open(src.url(`/to/${to}`))).close();
    assert.deepEqual(src.authorizations.slice(before), [undefined, undefined]);
  });

  it('refuses a redirect without a Location', async () => {
    const tcp = await tcpServer((socket) => socket.end('HTTP/1.1 302 Found\r\ncontent-length: 0\r\n\r\n'));
    try {
      await assert.rejects(open(`http://127.0.0.1:${tcp.port}/`), {
        name: 'FailedPreconditionError',
        message: 'uri: source answered HTTP 302 Found without a Location',
      });
    } finally {
      await tcp.close();
    }
  });
});

describe('download errors', () => {
  it('treats timeouts, throttling and server errors as passing, other statuses as lasting', () => {
    assert.equal(statusError(429, 'Too Many Requests').name, 'UnavailableError');
    assert.equal(statusError(502, undefined).message, 'uri: source answered HTTP 502 Bad Gateway');
    assert.equal(statusError(403, 'Forbidden').name, 'FailedPreconditionError');
    assert.equal(statusError(499, 'Client Closed').message, 'uri: source answered HTTP 499 Client Closed');
  });

  it('gives one message for every connection failure, never quoting the URL', () => {
    const err = (code: string) => Object.assign(new Error(code), { code });
    const url = new URL('https://images.example.com/disk.qcow2?X-Amz-Signature=abc');
    for (const code of ['ENOTFOUND', 'CERT_HAS_EXPIRED', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'HPE_INVALID_CONSTANT', 'EPROTO']) {
      const mapped = requestError(err(code), url);
      assert.deepEqual([mapped.name, mapped.message], ['UnavailableError', UNFETCHABLE], code);
    }
  });
});
