/**
 * Plain HTTP side of the one port (HTTP/1.1, with or without TLS): health endpoints, then the
 * REST/JSON gateway for everything else. Every answer carries `x-request-id` (the client's own
 * x-request-id / x-client-request-id when it sent a safe one) and `x-server-trace-id`.
 *
 *   const handler = createHttpHandler({ router, anyTypes, ready: () => store.isOpen });
 *   http.createServer(handler);
 */
import type http from 'node:http';
import type { Registry } from '@bufbuild/protobuf';
import type { Router } from './rpc.js';
import { newTraceId, pickRequestId } from './request-ids.js';
import { createRestGateway } from './rest/rest-gateway.js';
import { sendError, sendJson, type RequestIds } from './rest/response.js';
import { openApiDocument } from './openapi/document.js';
import type { StaticSite } from './static-site.js';

/** A plain HTTP endpoint beside the gateway (metrics, emulator controls), chosen by path. */
export interface HttpRoute {
  matches(path: string): boolean;
  handle(req: http.IncomingMessage, res: http.ServerResponse, ids: RequestIds): Promise<void>;
}

export interface HttpHandlerOptions {
  router: Router;
  /** Tried in order before the REST gateway. */
  routes?: readonly HttpRoute[];
  /** Every message type an Any in a response may hold. */
  anyTypes: Registry;
  ready: () => boolean;
  /** The web console (static files under /console/), when the composition root serves one. */
  site?: StaticSite;
}

export function createHttpHandler(opts: HttpHandlerOptions): http.RequestListener {
  const rest = createRestGateway(opts.router, opts.anyTypes);
  return (req, res) => {
    const ids: RequestIds = { requestId: pickRequestId((n) => headerOf(req, n)), traceId: newTraceId() };
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    if (req.method === 'GET' && (path === '/healthz' || path === '/readyz')) {
      const ok = path === '/healthz' || opts.ready();
      return sendJson(res, ok ? 200 : 503, { status: ok ? 'SERVING' : 'NOT_SERVING' }, ids);
    }
    if (req.method === 'GET' && path === '/openapi.json') return sendJson(res, 200, openApiDocument(opts.router), ids);
    // The JSON answers above and the gateway's write the ids with their other headers; the site
    // and the routes write their own, so the ids are set on the response first.
    if (opts.site?.serves(path)) {
      stampIds(res, ids);
      return opts.site.handle(req, res, path);
    }
    const route = opts.routes?.find((r) => r.matches(path));
    if (route) {
      stampIds(res, ids);
      route.handle(req, res, ids).catch((err: unknown) => sendError(res, err, ids));
      return;
    }
    rest(req, res, ids).catch((err: unknown) => sendError(res, err, ids));
  };
}

function stampIds(res: http.ServerResponse, ids: RequestIds): void {
  res.setHeader('x-request-id', ids.requestId);
  res.setHeader('x-server-trace-id', ids.traceId);
}

function headerOf(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export { sendJson };
