/**
 * Serves a built single-page site (the web console) under a path prefix on the HTTP side of the
 * one port. The files are read once, at start-up, into a table keyed by URL path: a request can
 * only ever name one of those entries, so there is no path traversal to guard against and no
 * directory to list. Hashed files under `assets/` are cached for a year; the HTML never is.
 *
 *   const site = loadStaticSite('/console', resolve(import.meta.dirname, '../console'));
 *   if (site.serves(path)) return site.handle(req, res, path);   // a file, a redirect, a 404 or a 405
 */
import type http from 'node:http';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

/** Only the site's own origin: scripts, styles, images, fetch; no plugins, no framing by others. */
export const SITE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

interface Entry {
  body: Buffer;
  type: string;
  immutable: boolean;
}

export interface StaticSite {
  /** Whether a request for this path (no query) is the site's to answer. */
  serves(path: string): boolean;
  /** Answers a request the site serves: a file, a redirect, a 404 or a 405. */
  handle(req: http.IncomingMessage, res: http.ServerResponse, path: string): void;
  /** Number of files served; 0 when the site was not built. */
  readonly files: number;
}

export function loadStaticSite(prefix: string, dir: string): StaticSite {
  const entries = new Map<string, Entry>();
  if (existsSync(dir)) {
    for (const file of walk(dir)) {
      const type = TYPES[extname(file).toLowerCase()];
      if (!type) continue; // an unknown kind of file is not served rather than served as a guess
      const rel = relative(dir, file).split(sep).join('/');
      entries.set(`${prefix}/${rel}`, { body: readFileSync(file), type, immutable: rel.startsWith('assets/') });
    }
  }
  const index = entries.get(`${prefix}/index.html`);
  return {
    files: entries.size,
    serves(path) {
      return path === prefix || path.startsWith(`${prefix}/`);
    },
    handle(req, res, path) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Method Not Allowed\n');
        return;
      }
      if (path === prefix) {
        res.writeHead(301, { location: `${prefix}/` }).end();
        return;
      }
      const entry = path === `${prefix}/` ? index : entries.get(path);
      if (!entry) {
        const msg = index ? 'Not Found\n' : 'Not Found: the console was not built (npm run build)\n';
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }).end(msg);
        return;
      }
      res.writeHead(200, {
        'content-type': entry.type,
        'content-length': entry.body.length,
        'cache-control': entry.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        'content-security-policy': SITE_CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
      res.end(req.method === 'HEAD' ? undefined : entry.body);
    },
  };
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}
