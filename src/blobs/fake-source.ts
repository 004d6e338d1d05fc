/**
 * A local HTTP server, on 127.0.0.1 and a free port, that plays every kind of image source the
 * importer has to cope with. For tests only.
 *
 *   const src = await startFakeSource();
 *   await importFromUrl(blobs, src.url('/short'), opts); // answers 1024 of 4096 bytes, then hangs up
 *   await src.close();
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { buildQcow2 } from './formats/qcow2-fixture.js';
import { DEFAULT_FETCH_RULES, FetchPolicy } from './fetch-policy.js';
import type { TransferLimits } from './transfer-guard.js';

/** Import options for a loopback source: private addresses allowed, no transfer limits. */
export const LOCAL_SOURCE = {
  policy: new FetchPolicy({ ...DEFAULT_FETCH_RULES, allowPrivate: true }),
  transfer: { deadlineMs: 60_000, minBytesPerSecond: 0, rateWindowMs: 60_000, minFreeBytes: 0 } satisfies TransferLimits,
  freeBytes: async () => Number.MAX_SAFE_INTEGER,
};

export const RAW = randomBytes(100_000);
export const QCOW2_VIRTUAL_SIZE = 8n << 30n;
export const QCOW2 = buildQcow2({ virtualSize: QCOW2_VIRTUAL_SIZE, data: randomBytes(200_000) });
/** A qcow2 whose header claims 1 EiB. */
export const HUGE_QCOW2 = buildQcow2();
new DataView(HUGE_QCOW2.buffer).setBigUint64(24, 1n << 60n);
export const LARGE_SIZE = 256 * 1024 * 1024;

export interface FakeSource {
  url(path: string): string;
  /** The Authorization header of every request so far (undefined when none was sent). */
  readonly authorizations: (string | undefined)[];
  /** The Host header of every request so far. */
  readonly hosts: (string | undefined)[];
  close(): Promise<void>;
}

type Handler = (res: http.ServerResponse, rest: string) => unknown;

const send = (body: Uint8Array, headers: http.OutgoingHttpHeaders = {}): Handler => (res) => {
  res.writeHead(200, { 'content-length': body.length, ...headers }).end(body);
};

/** Sends `sent` bytes of a body announced (or not) as 4096, then drops the connection. */
const hangUp = (sent: number, contentLength?: number): Handler => (res) => {
  res.writeHead(200, contentLength === undefined ? {} : { 'content-length': contentLength });
  res.write(Buffer.alloc(sent, 1), () => res.socket?.destroy());
};

const stream = async (res: http.ServerResponse, size: number, contentLength?: number) => {
  const chunk = randomBytes(1 << 20);
  async function* body() {
    for (let sent = 0; sent < size; sent += chunk.length) yield chunk.subarray(0, Math.min(chunk.length, size - sent));
  }
  res.writeHead(200, contentLength === undefined ? {} : { 'content-length': contentLength });
  await pipeline(Readable.from(body()), res).catch(() => undefined); // the client may hang up first
};

const ROUTES: Record<string, Handler> = {
  '/raw': send(RAW),
  '/raw-chunked': (res) => res.writeHead(200).end(RAW), // no Content-Length: chunked
  '/qcow2': send(QCOW2),
  '/huge-virtual': send(HUGE_QCOW2),
  '/truncated-qcow2': send(QCOW2.subarray(0, QCOW2.length - 100_000)),
  '/missing': (res) => res.writeHead(404).end('no such object'),
  '/unavailable': (res) => res.writeHead(503).end(),
  '/short': hangUp(1024, 4096),
  '/short-chunked': hangUp(1024),
  '/stall': (res) => res.writeHead(200, { 'content-length': 4096 }).write(Buffer.alloc(100)),
  '/stall-headers': () => undefined,
  '/oversize': (res) => res.writeHead(200, { 'content-length': 2 << 20 }).flushHeaders(),
  '/oversize-chunked': (res) => stream(res, 2 << 20),
  '/gzip': send(Buffer.from('compressed?'), { 'content-encoding': 'gzip' }),
  '/redirect': (res) => res.writeHead(302, { location: '/raw' }).end(),
  '/ftp-redirect': (res) => res.writeHead(301, { location: 'ftp://127.0.0.1/image' }).end(),
  '/hops': (res, rest) => {
    const n = Number(rest);
    if (n === 0) return send(RAW)(res, '');
    res.writeHead(307, { location: `/hops/${n - 1}` }).end();
  },
  '/large': (res) => stream(res, LARGE_SIZE, LARGE_SIZE),
  // A redirect to any URL: /to/<encoded URL>.
  '/to': (res, rest) => res.writeHead(302, { location: decodeURIComponent(rest) }).end(),
  // One byte a second: never stalls for long, never finishes in reasonable time.
  '/drip': (res) => {
    res.writeHead(200, { 'content-length': RAW.length });
    let sent = 0;
    const timer = setInterval(() => {
      if (res.destroyed || sent >= RAW.length) clearInterval(timer);
      else res.write(RAW.subarray(sent, ++sent));
    }, 1000);
    res.on('close', () => clearInterval(timer));
  },
};

export async function startFakeSource(host = '127.0.0.1'): Promise<FakeSource> {
  const authorizations: (string | undefined)[] = [];
  const hosts: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    res.on('error', () => undefined);
    authorizations.push(req.headers.authorization);
    hosts.push(req.headers.host);
    const [, route = '', rest = ''] = /^(\/[^/]*)\/?(.*)$/.exec(req.url ?? '') ?? [];
    const handler = ROUTES[route];
    if (handler) void handler(res, rest);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://${host}:${port}${path}`,
    authorizations,
    hosts,
    close: () => {
      server.closeAllConnections(); // stalled responses would keep it open
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
