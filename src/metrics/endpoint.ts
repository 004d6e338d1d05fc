/**
 * Serves `/metrics` (Prometheus text format, no token: it holds counts, never resource data):
 * as a route of the API port's HTTP side, or on a listener of its own (`--metrics HOST:PORT`).
 *
 *   const route = metricsRoute(metrics);                 // createHttpHandler({ routes: [route] })
 *   const server = await serveMetrics(metrics, '127.0.0.1', 9464);  ...  await server.close();
 */
import http from 'node:http';
import type { HttpRoute } from '../transport/http-handler.js';
import type { Metrics } from './prometheus.js';

export function metricsRoute(metrics: Metrics): HttpRoute {
  return {
    matches: (path) => path === '/metrics',
    async handle(req, res) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('GET /metrics\n');
        return;
      }
      const body = await metrics.render();
      res.writeHead(200, { 'content-type': metrics.contentType() });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  };
}

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/** A listener that answers `/metrics` and 404 for anything else. */
export async function serveMetrics(metrics: Metrics, host: string, port: number): Promise<MetricsServer> {
  const route = metricsRoute(metrics);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (!route.matches(path)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    route.handle(req, res, { requestId: '', traceId: '' }).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
