/**
 * A local HTTP server that serves disk images for import tests: raw bytes, a small valid qcow2,
 * and the failure modes an importer must survive (404, short body, stall, oversize).
 *
 *   const src = await startImageSource();
 *   await sdk.images.create({ folderId, name, uri: src.url('/raw?size=1048576') });
 */
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

export interface ImageSource {
  url(path: string): string;
  close(): Promise<void>;
  /** Requests seen, by path. */
  readonly hits: string[];
}

export async function startImageSource(): Promise<ImageSource> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    hits.push(url.pathname);
    const size = Number(url.searchParams.get('size') ?? 1024 * 1024);
    const seed = Number(url.searchParams.get('seed') ?? 7);
    switch (url.pathname) {
      case '/raw': {
        res.writeHead(200, { 'content-length': size, 'content-type': 'application/octet-stream' });
        streamPattern(res, size, seed);
        return;
      }
      case '/qcow2': {
        const body = qcow2Image(BigInt(url.searchParams.get('virtual') ?? String(10 * 1024 ** 3)));
        res.writeHead(200, { 'content-length': body.length });
        res.end(body);
        return;
      }
      case '/short': {
        res.writeHead(200, { 'content-length': size });
        res.write(Buffer.alloc(Math.floor(size / 2), 1), () => res.destroy());
        return;
      }
      case '/stall': {
        res.writeHead(200, { 'content-length': size });
        res.write(Buffer.alloc(1024, 2)); // then nothing, until the client gives up
        return;
      }
      case '/slow': {
        // 64 KiB every 50 ms: long enough to cancel while it runs.
        res.writeHead(200, { 'content-length': size });
        let sent = 0;
        const timer = setInterval(() => {
          const n = Math.min(65536, size - sent);
          res.write(Buffer.alloc(n, 3));
          sent += n;
          if (sent >= size) {
            clearInterval(timer);
            res.end();
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
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function streamPattern(res: http.ServerResponse, size: number, seed: number): void {
  const chunk = Buffer.alloc(64 * 1024);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31 + seed) & 0xff;
  let sent = 0;
  const pump = () => {
    while (sent < size) {
      const n = Math.min(chunk.length, size - sent);
      sent += n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
}
