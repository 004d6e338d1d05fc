/**
 * A local HTTP server that serves disk images for import tests: raw bytes, a small valid qcow2,
 * and the failure modes an importer must survive (404, short body, stall, oversize).
 *
 *   const src = await startImageSource();
 *   await sdk.images.create({ folderId, name, uri: src.url('/raw?size=1048576') });
 *
 * Every response is a Transfer that counts the body bytes it handed to the socket, so a test can
 * act while a download is provably under way and check afterwards how it ended:
 *
 *   const t = await src.sent('/slow?size=1048576', 1);   // the importer is reading the body
 *   await server.kill();
 *   assert.ok((await t.ended).sent < t.total);            // ... and was cut off mid-body
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A minimal qcow2 v3: header, one L1 table cluster, one refcount table cluster; no data clusters. */
export function qcow2Image(virtualSize: bigint, clusterBits = 16): Buffer {
  const cluster = 1 << clusterBits;
  const l2Entries = BigInt(cluster / 8);
  const l1Size = Number((virtualSize + BigInt(cluster) * l2Entries - 1n) / (BigInt(cluster) * l2Entries));
  const buf = Buffer.alloc(cluster * 3);
  buf.write('QFI\xfb', 0, 'latin1');
  buf.writeUInt32BE(3, 4); // version
  buf.writeUInt32BE(clusterBits, 20);
  buf.writeBigUInt64BE(virtualSize, 24);
  buf.writeUInt32BE(0, 32); // crypt
  buf.writeUInt32BE(Math.max(1, l1Size), 36); // l1_size
  buf.writeBigUInt64BE(BigInt(cluster), 40); // l1_table_offset
  buf.writeBigUInt64BE(BigInt(cluster * 2), 48); // refcount_table_offset
  buf.writeUInt32BE(1, 56); // refcount_table_clusters
  buf.writeUInt32BE(4, 96); // refcount_order
  buf.writeUInt32BE(104, 100); // header_length
  return buf;
}

/** One response of the source, as it goes. */
export interface Transfer {
  /** Path and query as requested, e.g. `/slow?size=1048576` (what was passed to `url()`). */
  readonly url: string;
  /** The Content-Length of the image body; NaN until the headers are sent, and for a 404. */
  readonly total: number;
  /** Body bytes handed to the socket so far: the client asked, and the body is flowing. */
  readonly sent: number;
  /** Whether the response ended with its whole body (false if it was cut off or is going). */
  readonly finished: boolean;
  /** Resolves when the connection of this response is closed, finished or not. */
  readonly ended: Promise<Transfer>;
}

export interface ImageSource {
  url(path: string): string;
  close(): Promise<void>;
  /** Requests seen, by path. */
  readonly hits: string[];
  /** Every response, in request order. */
  readonly transfers: readonly Transfer[];
  /**
   * Resolves with the first transfer of `url` (path and query, as given to `url()`) that has sent
   * at least `bytes` body bytes, as soon as it has; rejects after `timeoutMs` (default 15 s).
   */
  sent(url: string, bytes: number, timeoutMs?: number): Promise<Transfer>;
}

class Tracked implements Transfer {
  total = NaN;
  sent = 0;
  finished = false;
  readonly ended: Promise<Transfer>;

  constructor(
    readonly url: string,
    private readonly res: http.ServerResponse,
    private readonly progress: EventEmitter,
  ) {
    this.ended = new Promise((r) => res.once('close', () => r(this)));
  }

  head(total: number, headers: http.OutgoingHttpHeaders = {}): void {
    this.total = total;
    this.res.writeHead(200, { 'content-length': total, ...headers });
  }

  /** Writes body bytes and counts them; returns what `res.write` returns (false: wait for drain). */
  write(chunk: Buffer, cb?: () => void): boolean {
    const ok = this.res.write(chunk, cb);
    this.count(chunk.length);
    return ok;
  }

  end(chunk?: Buffer): void {
    this.res.end(chunk, () => (this.finished = true));
    if (chunk) this.count(chunk.length);
  }

  private count(n: number): void {
    this.sent += n;
    this.progress.emit('progress', this);
  }
}

export async function startImageSource(): Promise<ImageSource> {
  const hits: string[] = [];
  const transfers: Tracked[] = [];
  const progress = new EventEmitter();
  progress.setMaxListeners(0);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    hits.push(url.pathname);
    const t = new Tracked(req.url ?? '/', res, progress);
    transfers.push(t);
    const size = Number(url.searchParams.get('size') ?? 1024 * 1024);
    const seed = Number(url.searchParams.get('seed') ?? 7);
    switch (url.pathname) {
      case '/raw': {
        t.head(size, { 'content-type': 'application/octet-stream' });
        streamPattern(t, res, size, seed);
        return;
      }
      case '/qcow2': {
        const body = qcow2Image(BigInt(url.searchParams.get('virtual') ?? String(10 * 1024 ** 3)));
        t.head(body.length);
        t.end(body);
        return;
      }
      case '/short': {
        t.head(size);
        t.write(Buffer.alloc(Math.floor(size / 2), 1), () => res.destroy());
        return;
      }
      case '/stall': {
        t.head(size);
        t.write(Buffer.alloc(1024, 2)); // then nothing, until the client gives up
        return;
      }
      case '/slow': {
        // 64 KiB every 50 ms: long enough to cancel while it runs.
        t.head(size);
        let sent = 0;
        const timer = setInterval(() => {
          const n = Math.min(65536, size - sent);
          sent += n;
          if (sent >= size) {
            clearInterval(timer);
            t.end(Buffer.alloc(n, 3));
          } else {
            t.write(Buffer.alloc(n, 3));
          }
        }, 50);
        res.on('close', () => clearInterval(timer));
        return;
      }
      default:
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    hits,
    transfers,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    sent: (url, bytes, timeoutMs = 15_000) =>
      new Promise<Transfer>((resolve, reject) => {
        const match = () => transfers.find((t) => t.url === url && t.sent >= bytes);
        const now = match();
        if (now) return resolve(now);
        const onProgress = () => {
          const t = match();
          if (!t) return;
          clearTimeout(timer);
          progress.off('progress', onProgress);
          resolve(t);
        };
        const timer = setTimeout(() => {
          progress.off('progress', onProgress);
          const seen = transfers.filter((t) => t.url === url).map((t) => `${t.sent}/${t.total}`);
          reject(new Error(`no response to ${url} sent ${bytes} body bytes in ${timeoutMs} ms (seen: ${seen.join(', ') || 'no request'})`));
        }, timeoutMs);
        progress.on('progress', onProgress);
      }),
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function streamPattern(t: Tracked, res: http.ServerResponse, size: number, seed: number): void {
  const chunk = Buffer.alloc(64 * 1024);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31 + seed) & 0xff;
  let sent = 0;
  const pump = () => {
    while (sent < size) {
      const n = Math.min(chunk.length, size - sent);
      sent += n;
      if (!t.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
    t.end();
  };
  pump();
}
