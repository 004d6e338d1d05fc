/**
 * One port for everything. Plaintext connections are routed by their first bytes: the HTTP/2
 * client preface goes to grpc-js through its connection injector, anything else to node:http
 * (REST, health). TLS connections are routed by ALPN: `h2` to grpc-js, `http/1.1` (curl,
 * browsers, fetch) to node:https.
 *
 *   const listener = await startListener({ host, port, tls, grpc: server, http: handler });
 *   await listener.close(graceMs);
 */
import net from 'node:net';
import tls from 'node:tls';
import http from 'node:http';
import * as grpc from '@grpc/grpc-js';
import type { Duplex } from 'node:stream';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

export interface ListenerOptions {
  host: string;
  port: number;
  tls?: { cert: Buffer; key: Buffer };
  grpc: grpc.Server;
  http: http.RequestListener;
}

export interface Listener {
  readonly port: number;
  readonly address: string;
  /** Stops accepting, lets in-flight calls finish for up to graceMs, then closes everything. */
  close(graceMs: number): Promise<void>;
}

export async function startListener(opts: ListenerOptions): Promise<Listener> {
  // grpc-js sees already-decrypted streams, so its injector is always the insecure kind.
  const injector = opts.grpc.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  const httpServer = http.createServer({ keepAliveTimeout: 65_000 }, opts.http);
  const sockets = new Set<Duplex>();
  const track = (s: Duplex) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };

  const routePlain = (socket: net.Socket) => {
    track(socket);
    socket.once('error', () => socket.destroy());
    let seen = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk]);
      const n = Math.min(seen.length, PREFACE.length);
      const isH2 = seen.subarray(0, n).equals(PREFACE.subarray(0, n));
      if (isH2 && seen.length < PREFACE.length) return; // need more bytes to decide
      socket.off('data', onData);
      socket.pause();
      socket.unshift(seen);
      if (isH2) {
        // http2 reads the unshifted bytes itself; resuming here would drop them.
        injector.injectConnection(socket);
      } else {
        // node:http attaches a 'data' listener but leaves a paused socket paused.
        httpServer.emit('connection', socket);
        socket.resume();
      }
    };
    socket.on('data', onData);
  };

  let server: net.Server;
  if (opts.tls) {
    server = tls.createServer({
      cert: opts.tls.cert,
      key: opts.tls.key,
      // gRPC clients offer only h2; curl and browsers offer http/1.1 too and get REST.
      ALPNCallback: ({ protocols }) => (protocols.includes('http/1.1') ? 'http/1.1' : protocols.includes('h2') ? 'h2' : undefined),
    });
    server.on('secureConnection', (socket: tls.TLSSocket) => {
      track(socket);
      socket.once('error', () => socket.destroy());
      if (socket.alpnProtocol === 'h2') injector.injectConnection(socket);
      else httpServer.emit('connection', socket);
    });
    server.on('tlsClientError', () => undefined);
  } else {
    server = net.createServer(routePlain);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as net.AddressInfo;

  return {
    port: addr.port,
    address: addr.address,
    async close(graceMs: number) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      injector.drain(graceMs);
      httpServer.closeIdleConnections();
      await new Promise<void>((resolve) => {
        const forced = setTimeout(() => {
          injector.destroy();
          httpServer.closeAllConnections();
          for (const s of sockets) s.destroy();
          resolve();
        }, graceMs);
        forced.unref();
        const poll = setInterval(() => {
          httpServer.closeIdleConnections();
          if (sockets.size === 0) {
            clearInterval(poll);
            clearTimeout(forced);
            resolve();
          }
        }, 25);
        poll.unref();
      });
      injector.destroy();
      await closed;
    },
  };
}
