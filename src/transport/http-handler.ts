/**
 * Plain HTTP side of the one port: health endpoints now; the REST transcoder plugs in here.
 */
import type http from 'node:http';
import type { Router } from './rpc.js';
import { newTraceId, pickRequestId } from './request-ids.js';

export interface HttpHandlerOptions {
  router: Router;
  ready: () => boolean;
}

export function createHttpHandler(opts: HttpHandlerOptions): http.RequestListener {
  return (req, res) => {
    const requestId = pickRequestId((n) => headerOf(req, n));
    res.setHeader('x-request-id', requestId);
    res.setHeader('x-server-trace-id', newTraceId());
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && (path === '/healthz' || path === '/readyz')) {
      const ok = path === '/healthz' || opts.ready();
      sendJson(res, ok ? 200 : 503, { status: ok ? 'SERVING' : 'NOT_SERVING' });
      return;
    }
    sendJson(res, 404, { code: 5, message: `No route for ${req.method} ${path}`, details: [] });
  };
}

function headerOf(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
