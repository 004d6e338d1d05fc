/**
 * One port for everything. Plaintext connections are routed by their first bytes: the HTTP/2
 * client preface goes to grpc-js through its connection injector, anything else to node:http
 * (REST, health). TLS connections are routed by ALPN: `h2` to grpc-js, `http/1.1` (curl,
 * browsers, fetch) to node:https. Every connection is bounded in time and number (limits.ts).
 *
 *   const listener = await startListener({ host, port, tls, grpc: server, http: handler });
 *   await listener.close(graceMs);
 */
import net from 'node:net';
import tls from 'node:tls';
import http from 'node:http';
import * as grpc from '@grpc/grpc-js';
import type { Duplex } from 'node:stream';
import { CONNECTION_LIMITS, type ConnectionLimits } from './limits.js';
import { trackHttp1Connections } from './http1-connections.js';
import { createAddressCap } from './address-cap.js';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

export interface ListenerOptions {
  host: string;
  port: number;
  tls?: { cert: Buffer; key: Buffer };
  grpc: grpc.Server;
  http: http.RequestListener;
  /** Overrides of CONNECTION_LIMITS; tests shorten the timers with it. */
  limits?: Partial<ConnectionLimits>;
}

export interface Listener {
  readonly port: number;
  readonly address: string;
  /**
   * Stops accepting and closes idle connections at once (keep-alive HTTP/1.1, HTTP/2 without
   * streams, connections not yet routed); in-flight calls get up to graceMs, then everything closes.
   */
  close(graceMs: number): Promise<void>;
}

export async function startListener(opts: ListenerOptions): Promise<Listener> {
  const limits: ConnectionLimits = { ...CONNECTION_LIMITS, ...opts.limits };
  // grpc-js sees already-decrypted streams, so its injector is always the insecure kind.
  const injector = opts.grpc.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  // Node's headersTimeout/requestTimeout never fire for injected sockets; http1-connections.ts
  // times the headers instead. keepAliveTimeout is a plain socket timeout and does work.
  const httpServer = http.createServer({ keepAliveTimeout: limits.keepAliveTimeoutMs }, opts.http);
  const http1 = trackHttp1Connections(httpServer, { headersTimeoutMs: limits.headersTimeoutMs });
  const cap = createAddressCap(limits.maxConnectionsPerAddress);
  const accepted = new Set<net.Socket>(); // every TCP connection, routed or not
  const sniffing = new Set<net.Socket>(); // plaintext, protocol not known yet
  const routed = new Set<Duplex>(); // handed to grpc-js or node:http
  let closing = false;

  const route = (socket: Duplex, h2: boolean) => {
    // A connection routed after close() began would hold the drain for the whole grace period.
    if (closing) return void socket.destroy();
    routed.add(socket);
    socket.once('close', () => routed.delete(socket));
    if (h2) injector.injectConnection(socket);
    else http1.adopt(socket);
  };

  const routePlain = (socket: net.Socket) => {
    sniffing.add(socket);
    // Nothing sent, or a partial HTTP/2 preface: the connection goes after protocolTimeoutMs.
    const deadline = setTimeout(() => socket.destroy(), limits.protocolTimeoutMs);
    deadline.unref();
    socket.once('close', () => {
      clearTimeout(deadline);
      sniffing.delete(socket);
    });
    let seen = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk]);
      const n = Math.min(seen.length, PREFACE.length);
      const isH2 = seen.subarray(0, n).equals(PREFACE.subarray(0, n));
      if (isH2 && seen.length < PREFACE.length) return; // need more bytes to decide
      clearTimeout(deadline);
      sniffing.delete(socket);
      socket.off('data', onData);
      socket.pause();
      socket.unshift(seen);
      // http2 reads the unshifted bytes itself; resuming here would drop them. node:http
      // attaches a 'data' listener but leaves a paused socket paused.
      route(socket, isH2);
      if (!isH2) socket.resume();
    };
    socket.on('data', onData);
  };

  // Never listens: it only runs the handshake (bounded by handshakeTimeout) on sockets given to it.
  const tlsServer = opts.tls
    ? tls.createServer({
        cert: opts.tls.cert,
        key: opts.tls.key,
        handshakeTimeout: limits.protocolTimeoutMs,
        // gRPC clients offer only h2; curl and browsers offer http/1.1 too and get REST.
        ALPNCallback: ({ protocols }) => (protocols.includes('http/1.1') ? 'http/1.1' : protocols.includes('h2') ? 'h2' : undefined),
      })
    : undefined;
  tlsServer?.on('secureConnection', (socket: tls.TLSSocket) => {
    socket.on('error', () => socket.destroy());
    route(socket, socket.alpnProtocol === 'h2');
  });
  // Node only reports a failed or timed-out handshake here; closing the socket is up to us.
  tlsServer?.on('tlsClientError', (_err: Error, socket: tls.TLSSocket) => socket.destroy());

  // TCP_NODELAY on every connection, as node:http's and http2's own servers set it on theirs:
  // this server accepts for both, and the HTTP/1.1 sockets it hands to node:http went without
  // (HTTP/2 sessions set it themselves), leaving Nagle's algorithm on under the REST API.
  const server = net.createServer({ noDelay: true }, (socket) => {
    if (closing || !cap.admit(socket)) return void socket.destroy();
    accepted.add(socket);
    socket.once('close', () => accepted.delete(socket));
    socket.on('error', () => socket.destroy());
    if (tlsServer) tlsServer.emit('connection', socket);
    else routePlain(socket);
  });

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
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sniffing) s.destroy();
      injector.drain(graceMs); // GOAWAY; sessions without streams close at once
      http1.closeIdle();
      await new Promise<void>((resolve) => {
        const done = () => {
          clearInterval(poll);
          clearTimeout(forced);
          resolve();
        };
        const forced = setTimeout(() => {
          for (const s of routed) s.destroy();
          done();
        }, graceMs);
        forced.unref();
        const poll = setInterval(() => routed.size === 0 && done(), 25);
        poll.unref();
      });
      injector.destroy();
      // What is left never got routed: TLS handshakes still in progress.
      for (const s of accepted) s.destroy();
      await closed;
    },
  };
}
