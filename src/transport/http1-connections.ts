/**
 * HTTP/1.1 connection bookkeeping for sockets handed to an `http.Server` that never listens.
 * Node runs `headersTimeout`, `requestTimeout` and `closeIdleConnections()` off a connection
 * list it builds only on 'listening', so for injected sockets they silently do nothing; this
 * module does the two that matter here with a timer per socket.
 *
 *   const http1 = trackHttp1Connections(httpServer, { headersTimeoutMs: 30_000 });
 *   http1.adopt(socket);   // instead of httpServer.emit('connection', socket)
 *   http1.closeIdle();     // shutdown: idle sockets now, busy ones once their response is sent
 *
 * The idle gap between keep-alive requests is Node's own `keepAliveTimeout` (a socket timeout,
 * which does work for injected sockets).
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';

// What Node itself answers when its headersTimeout fires; the connection is not reused.
const REQUEST_TIMEOUT = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

export interface Http1Connections {
  adopt(socket: Duplex): void;
  /** From now on no connection is kept alive; idle ones are closed at once. */
  closeIdle(): void;
  /** Connections still open. */
  readonly size: number;
}

interface State {
  /** Responses not closed yet (more than one when pipelined). */
  readonly responses: Set<http.ServerResponse>;
  timer?: NodeJS.Timeout;
}

export function trackHttp1Connections(server: http.Server, opts: { headersTimeoutMs: number }): Http1Connections {
  const states = new Map<Duplex, State>();
  let closing = false;

  // Runs while no request is in flight: from adoption, and from the end of each response, until
  // the next request's headers are parsed. A drip of one header byte every few seconds keeps the
  // keep-alive socket timeout from firing, but not this.
  const awaitHeaders = (socket: Duplex, state: State) => {
    clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      if (state.responses.size > 0 || socket.destroyed) return;
      if (socket.writable) socket.end(REQUEST_TIMEOUT, () => socket.destroy());
      else socket.destroy();
    }, opts.headersTimeoutMs);
    state.timer.unref();
  };

  const release = (socket: Duplex) => {
    if (socket.destroyed) return;
    // FIN first, then close once it is written, so the last response is not cut by a reset.
    if (socket.writableEnded) socket.destroy();
    else socket.end(() => socket.destroy());
  };

  // Prepended so the request is counted (and told to close) before the handler answers it.
  server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const socket = req.socket as Duplex;
    const state = states.get(socket);
    if (!state) return;
    clearTimeout(state.timer);
    state.responses.add(res);
    if (closing) res.setHeader('connection', 'close');
    res.once('close', () => {
      state.responses.delete(res);
      if (state.responses.size > 0 || socket.destroyed) return;
      if (closing) release(socket);
      else awaitHeaders(socket, state);
    });
  });

  return {
    adopt(socket) {
      if (closing) {
        socket.destroy();
        return;
      }
      const state: State = { responses: new Set() };
      states.set(socket, state);
      socket.once('close', () => {
        clearTimeout(state.timer);
        states.delete(socket);
      });
      awaitHeaders(socket, state);
      server.emit('connection', socket);
    },
    closeIdle() {
      closing = true;
      for (const [socket, state] of states) {
        clearTimeout(state.timer);
        if (state.responses.size === 0) socket.destroy();
        // Busy: its answer says so, and the socket closes once the last one is sent (above).
        for (const res of state.responses) if (!res.headersSent) res.setHeader('connection', 'close');
      }
    },
    get size() {
      return states.size;
    },
  };
}
