/**
 * Connection limits of the real server at their real values (src/transport/limits.ts): silent
 * and half-HTTP/2 sockets closed at 10 s, idle keep-alive at 5 s (+1 s Node keeps as margin),
 * gRPC messages over 4 MiB refused undecoded, 100 streams per HTTP/2 connection, a 413 that
 * clients uploading the whole body first (Python http.client, fetch, curl) can read, and a
 * shutdown that does not wait on idle connections. The slow-loris cut at 30 s is shown with
 * shorter timers in src/transport/listener.test.ts. The waits overlap: about 11 s in all.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import http2 from 'node:http2';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import { create, toBinary } from '@bufbuild/protobuf';
import { HealthCheckRequestSchema } from '../../src/gen/grpc/health/v1/health_pb.js';
import { startServer, type RunningServer } from '../harness/server.js';

const run = promisify(execFile);
const COPY = '/cloud-desktop/v1/images:copy';
const MiB = 1024 * 1024;

/** A raw socket; resolves with how long until the server closed it and what it had sent. */
function probe(port: number, send?: string) {
  const started = Date.now();
  const socket = net.connect(port, '127.0.0.1', () => send && socket.write(send));
  let data = '';
  socket.on('data', (d) => (data += d.toString()));
  socket.on('error', () => undefined);
  const closed = new Promise<{ ms: number; data: string }>((r) => socket.once('close', () => r({ ms: Date.now() - started, data })));
  return { socket, closed };
}

function healthCheck(client: grpc.Client, request: Buffer): Promise<grpc.ServiceError | undefined> {
  return new Promise((resolve) =>
    client.makeUnaryRequest('/grpc.health.v1.Health/Check', (b: Buffer) => b, (b: Buffer) => b, request, (err) => resolve(err ?? undefined)));
}

function varint(n: number): Buffer {
  const bytes: number[] = [];
  for (; n >= 0x80; n = Math.floor(n / 128)) bytes.push((n & 0x7f) | 0x80);
  return Buffer.from([...bytes, n]);
}

let server: RunningServer;
before(async () => {
  server = await startServer();
});
after(() => server.cleanup());

describe('connection limits', { concurrency: true }, () => {
  it('closes a socket that sends nothing, or a partial HTTP/2 preface, after 10 s', async () => {
    for (const { closed } of [probe(server.port), probe(server.port, 'PRI * HTTP/2.0\r\n')]) {
      const { ms, data } = await closed;
      assert.ok(ms >= 9_500 && ms < 12_000, `closed after ${ms} ms`);
      assert.equal(data, '');
    }
  });

  it('closes an idle keep-alive HTTP/1.1 connection after 5 s (advertised) + 1 s', async () => {
    const { ms, data } = await probe(server.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n').closed;
    assert.match(data, /^HTTP\/1\.1 200 [\s\S]*Keep-Alive: timeout=5\r\n/);
    assert.ok(ms >= 5_000 && ms < 7_500, `closed after ${ms} ms`);
  });

  it('refuses a 5 MiB gRPC message with RESOURCE_EXHAUSTED; 3 MiB still reaches the handler', async () => {
    const client = new grpc.Client(server.address, grpc.credentials.createInsecure());
    try {
      const big = await healthCheck(client, Buffer.alloc(5 * MiB, 0xff));
      assert.equal(big?.code, grpc.status.RESOURCE_EXHAUSTED, big?.message);
      // A valid request padded to 3 MiB with an unknown bytes field (15): decoded, answered SERVING.
      const padding = Buffer.concat([Buffer.from([(15 << 3) | 2]), varint(3 * MiB), Buffer.alloc(3 * MiB)]);
      assert.equal(await healthCheck(client, padding), undefined);
    } finally {
      client.close();
    }
  });

  it('allows 100 concurrent streams per HTTP/2 connection', async () => {
    const session = http2.connect(`http://127.0.0.1:${server.port}`);
    session.on('error', () => undefined);
    const settings = await new Promise<http2.Settings>((r) => session.once('remoteSettings', r));
    assert.equal(settings.maxConcurrentStreams, 100);
    session.destroy();
  });

  it('answers a 20 MiB REST body with 413 that Python http.client reads (no broken pipe)', async () => {
    const script = [
      'import http.client, sys',
      `c = http.client.HTTPConnection("127.0.0.1", ${server.port}, timeout=20)`,
      `c.request("POST", "${COPY}", body=b"x" * (20 * 1024 * 1024), headers={"content-type": "application/json"})`,
      'r = c.getresponse()',
      'print(r.status, r.read().decode())',
    ].join('\n');
    const { stdout } = await run('python3', ['-c', script]);
    assert.match(stdout, /^413 \{"code":3,"message":"Request body is larger than 1048576 bytes"/);
  });

  it('answers a 20 MiB REST body with 413 to fetch and curl as well', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}${COPY}`, { method: 'POST', body: Buffer.alloc(20 * MiB, 0x78) });
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as { code: number }).code, 3);
    const curl = await run('sh', ['-c', `head -c ${20 * MiB} /dev/zero | curl -s -o /dev/null -w '%{http_code}' --data-binary @- http://127.0.0.1:${server.port}${COPY}`]);
    assert.equal(curl.stdout, '413');
  });
});

describe('shutdown', () => {
  it('does not wait for idle connections (keep-alive HTTP/1.1, idle gRPC, silent socket)', async () => {
    const own = await startServer({ args: ['--shutdown-grace-ms', '20000'] });
    try {
      const idleHttp = probe(own.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      const silent = probe(own.port);
      const client = new grpc.Client(own.address, grpc.credentials.createInsecure());
      assert.equal(await healthCheck(client, Buffer.from(toBinary(HealthCheckRequestSchema, create(HealthCheckRequestSchema, {})))), undefined);
      const started = Date.now();
      assert.equal(await own.stop(), 0);
      const ms = Date.now() - started;
      assert.ok(ms < 2_000, `shutdown took ${ms} ms with a 20 s grace`);
      await Promise.all([idleHttp.closed, silent.closed]);
      client.close();
    } finally {
      await own.cleanup();
    }
  });
});
