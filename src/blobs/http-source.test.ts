import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { requestError, statusError, type ConnectPhase } from './download-errors.js';
import { startFakeSource, type FakeSource } from './fake-source.js';
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

const open = (url: string) => openHttpSource(new URL(url), { stallTimeoutMs: 2000 });

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

  it('names a server that hangs up without answering', async () => {
    const tcp = await tcpServer((socket) => socket.destroy());
    try {
      await assert.rejects(open(`http://127.0.0.1:${tcp.port}/`), {
        name: 'UnavailableError',
        message: `uri: 127.0.0.1:${tcp.port} closed the connection without answering (ECONNRESET)`,
      });
    } finally {
      await tcp.close();
    }
  });

  it('names a server that does not speak HTTP, or not TLS', async () => {
    const tcp = await tcpServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n'));
    try {
      await assert.rejects(open(`http://127.0.0.1:${tcp.port}/`), {
        name: 'FailedPreconditionError',
        message: new RegExp(`^uri: 127.0.0.1:${tcp.port} sent an invalid HTTP response \\(HPE_[A-Z_]+\\)$`),
      });
      await assert.rejects(open(`https://127.0.0.1:${tcp.port}/`), {
        name: 'FailedPreconditionError',
        message: `uri: TLS connection to 127.0.0.1:${tcp.port} failed (wrong version number)`,
      });
    } finally {
      await tcp.close();
    }
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

  it('says which step of connecting failed, without quoting the URL', () => {
    const err = (code: string) => Object.assign(new Error(code), { code });
    const url = new URL('https://user:secret@images.example.com/disk.qcow2?X-Amz-Signature=abc');
    const cases: [string, ConnectPhase, string, string][] = [
      ['ENOTFOUND', 'connecting', 'UnavailableError', 'uri: cannot resolve host images.example.com (ENOTFOUND)'],
      ['CERT_HAS_EXPIRED', 'tls', 'FailedPreconditionError', 'uri: TLS connection to images.example.com:443 failed (CERT_HAS_EXPIRED)'],
      ['ECONNRESET', 'tls', 'FailedPreconditionError', 'uri: TLS connection to images.example.com:443 failed (ECONNRESET)'],
      ['ECONNREFUSED', 'connecting', 'UnavailableError', 'uri: cannot connect to images.example.com:443 (ECONNREFUSED)'],
      ['ETIMEDOUT', 'connecting', 'UnavailableError', 'uri: cannot connect to images.example.com:443 (ETIMEDOUT)'],
      ['ECONNRESET', 'connected', 'UnavailableError', 'uri: images.example.com:443 closed the connection without answering (ECONNRESET)'],
    ];
    for (const [code, phase, name, message] of cases) {
      const mapped = requestError(err(code), url, phase);
      assert.deepEqual([mapped.name, mapped.message], [name, message]);
    }
  });
});
