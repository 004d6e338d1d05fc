/**
 * The listener's connection limits with the timers shortened (ConnectionLimits overrides), so
 * the behaviour the real server has at 10 s / 30 s / 5 s shows here in well under a second.
 * The upper bounds leave room for a busy machine (the suites run two at a time, beside QEMU and
 * a browser) while staying far below the real timers.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import http2 from 'node:http2';
import * as grpc from '@grpc/grpc-js';
import selfsigned from 'selfsigned';
import { startListener, type Listener } from './listener.js';
import { grpcServerOptions } from './limits.js';

const LIMITS = { protocolTimeoutMs: 300, headersTimeoutMs: 600, keepAliveTimeoutMs: 300, maxConnectionsPerAddress: 16 };

interface Probe {
  readonly socket: net.Socket;
  /** Resolves when the server closes the connection: after how long, and what it had sent. */
  readonly closed: Promise<{ ms: number; data: string }>;
}

function probe(port: number, send?: string): Probe {
  const started = Date.now();
  const socket = net.connect(port, '127.0.0.1');
  // Written now, not on 'connect': writes before the connection are queued in order, so a drip
  // started right after cannot overtake this first chunk on a slow machine.
  if (send) socket.write(send);
  let data = '';
  socket.on('data', (d) => (data += d.toString()));
  socket.on('error', () => undefined);
  const closed = new Promise<{ ms: number; data: string }>((r) => socket.once('close', () => r({ ms: Date.now() - started, data })));
  return { socket, closed };
}

/** Writes one byte of `text` every `everyMs` until the socket closes. */
function drip(socket: net.Socket, text: string, everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => (socket.destroyed || i >= text.length ? clearInterval(timer) : socket.write(text[i++])), everyMs);
}

const slowHandler: Parameters<typeof startListener>[0]['http'] = (req, res) => {
  setTimeout(() => res.end('done'), req.url === '/slow' ? 400 : 0);
};

function start(extra: Partial<Parameters<typeof startListener>[0]> = {}): Promise<Listener> {
  const server = new grpc.Server({ ...grpcServerOptions(), 'grpc.max_connection_idle_ms': 300 });
  return startListener({ host: '127.0.0.1', port: 0, grpc: server, http: slowHandler, limits: LIMITS, ...extra });
}

let listener: Listener;
before(async () => {
  listener = await start();
});
after(() => listener.close(0));

describe('listener limits (plaintext)', { concurrency: true }, () => {
  it('closes a connection that sends nothing, or part of the HTTP/2 preface, at protocolTimeoutMs', async () => {
    for (const p of [probe(listener.port), probe(listener.port, 'PRI * HTTP/2.0\r\n')]) {
      const { ms, data } = await p.closed;
      assert.ok(ms >= 250 && ms < 3000, `closed after ${ms} ms`);
      assert.equal(data, '');
    }
  });

  it('answers 408 to request headers dripped slower than headersTimeoutMs', async () => {
    const p = probe(listener.port, 'G');
    drip(p.socket, 'ET / HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 50);
    const { ms, data } = await p.closed;
    // Below the 2.5 s the drip takes: closed by the timer, not by the end of the drip.
    assert.ok(ms >= 550 && ms < 2400, `closed after ${ms} ms`);
    assert.match(data, /^HTTP\/1\.1 408 /);
  });

  it('times the next request on a kept-alive connection too', async () => {
    const p = probe(listener.port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\nG');
    drip(p.socket, 'ET / HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 50);
    const { ms, data } = await p.closed;
    assert.ok(ms < 2400, `closed after ${ms} ms`);
    assert.match(data, /^HTTP\/1\.1 200 [\s\S]*HTTP\/1\.1 408 /);
  });

  it('closes an HTTP/2 connection without streams after grpc.max_connection_idle_ms', async () => {
    const started = Date.now();
    const session = http2.connect(`http://127.0.0.1:${listener.port}`);
    session.on('error', () => undefined);
    const settings = await new Promise<http2.Settings>((r, j) => {
      session.once('remoteSettings', r);
      session.once('close', () => j(new Error('closed before SETTINGS')));
    });
    assert.equal(settings.maxConcurrentStreams, 100);
    await new Promise((r) => session.once('close', r));
    const ms = Date.now() - started;
    assert.ok(ms >= 250 && ms < 3000, `closed after ${ms} ms`);
  });
});

describe('listener limits (one address, shutdown)', () => {
  it('refuses connections over maxConnectionsPerAddress and admits again once one closes', async () => {
    // No protocol or keep-alive timer closes a connection here: one closed was refused.
    const own = await start({ limits: { ...LIMITS, protocolTimeoutMs: 60_000, headersTimeoutMs: 60_000, keepAliveTimeoutMs: 60_000, maxConnectionsPerAddress: 4 } });
    const held = [1, 2, 3, 4].map(() => probe(own.port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    await new Promise((r) => setTimeout(r, 100));
    const extra = probe(own.port);
    const refused = await Promise.race([extra.closed.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 5000).unref())]);
    assert.ok(refused, 'the fifth connection from one address is closed at once');
    held[0].socket.destroy();
    await held[0].closed;
    await new Promise((r) => setTimeout(r, 50));
    const again = probe(own.port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((r) => setTimeout(r, 100));
    assert.match((await Promise.race([again.closed, { data: 'open' }])).data, /^open$/);
    for (const p of [...held, again]) p.socket.destroy();
    await own.close(0);
  });

  it('close(): idle connections go at once, an in-flight request finishes within the grace', async () => {
    const own = await start({ limits: { ...LIMITS, protocolTimeoutMs: 60_000, headersTimeoutMs: 60_000, keepAliveTimeoutMs: 60_000 } });
    const idleHttp = probe(own.port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const silent = probe(own.port);
    const h2 = http2.connect(`http://127.0.0.1:${own.port}`);
    h2.on('error', () => undefined);
    await new Promise((r) => h2.once('remoteSettings', r));
    const busy = probe(own.port, 'GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await own.close(10_000);
    const ms = Date.now() - started;
    assert.ok(ms < 3000, `close took ${ms} ms (the grace is 10 s)`);
    assert.match((await busy.closed).data, /^HTTP\/1\.1 200 [\s\S]*connection: close[\s\S]*done$/i);
    await Promise.all([idleHttp.closed, silent.closed, new Promise((r) => (h2.closed ? r(null) : h2.once('close', r)))]);
  });
});

describe('listener limits (TLS)', () => {
  it('closes a TLS connection that never finishes its handshake at protocolTimeoutMs', async () => {
    const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], { keySize: 2048 });
    const own = await start({ tls: { cert: Buffer.from(pems.cert), key: Buffer.from(pems.private) } });
    const { ms } = await probe(own.port).closed;
    assert.ok(ms >= 250 && ms < 3000, `closed after ${ms} ms`);
    await own.close(0);
  });
});
