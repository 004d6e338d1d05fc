// The console's static files on the API port: redirect, content types, the self-only CSP, and
// no way out of the built directory (raw paths, so no client normalises the `..` away).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, type RunningServer } from '../harness/server.js';

let server: RunningServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server.cleanup();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP/1.1 request with the path exactly as given. */
function raw(path: string, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('/console redirects to /console/, which serves the page with a CSP that allows only self', async () => {
  const redirect = await raw('/console');
  assert.equal(redirect.status, 301);
  assert.equal(redirect.headers.location, '/console/');
  const page = await raw('/console/');
  assert.equal(page.status, 200);
  assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(page.headers['cache-control'], 'no-cache');
  const csp = String(page.headers['content-security-policy']);
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self';/);
  assert.doesNotMatch(csp, /unsafe|https?:|\*/);
  assert.match(page.body, /<div id="app">/);
  // Every asset the page names is on this origin and served with its own type.
  const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')), page.body);
  for (const asset of assets) {
    assert.match(asset, /^\/console\//);
    const res = await raw(asset);
    assert.equal(res.status, 200, asset);
    const type = asset.endsWith('.js') ? 'text/javascript; charset=utf-8' : asset.endsWith('.css') ? 'text/css; charset=utf-8' : 'image/svg+xml';
    assert.equal(res.headers['content-type'], type, asset);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    if (asset.includes('/assets/')) assert.match(String(res.headers['cache-control']), /immutable/);
  }
});

test('no directory listing, no path traversal, only GET and HEAD', async () => {
  for (const path of [
    '/console/assets',
    '/console/assets/',
    '/console/../package.json',
    '/console/%2e%2e/package.json',
    '/console/..%2fpackage.json',
    '/console/assets/../../src/app.js',
    '/console/%2e%2e/%2e%2e/package.json',
    '/console//etc/passwd',
    '/console/index.html%00.js',
  ]) {
    const res = await raw(path);
    assert.equal(res.status, 404, path);
    assert.doesNotMatch(res.body, /"name": "clouddesk"|import |root:/, path);
  }
  const post = await raw('/console/', 'POST');
  assert.equal(post.status, 405);
  assert.equal(post.headers.allow, 'GET, HEAD');
  const head = await raw('/console/', 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
  // The API beside it is untouched: a REST path still answers as the gateway does.
  const api = await raw('/cloud-desktop/v1/images?folderId=f');
  assert.equal(api.status, 401);
});
