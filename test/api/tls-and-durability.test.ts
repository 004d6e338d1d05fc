/**
 * Real users' paths: the official SDK Session (always TLS) against `--tls-cert/--tls-key`,
 * data surviving a restart, and operations a crash interrupted being finished at start-up
 * with nothing half-made left behind.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { startServer, type RunningServer } from '../harness/server.js';
import { cloudDesktop, compute, sdkFor, waitDone } from '../harness/sdk.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { makeTestCert } from '../harness/tls.js';

const require = createRequire(import.meta.url);
const { Session } = require('@yandex-cloud/nodejs-sdk') as { Session: new (cfg: object) => { client(c: unknown, endpoint: string): any } };

let src: ImageSource;
before(async () => {
  src = await startImageSource();
});
after(async () => {
  await src.close();
});

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(e.name);
  return out;
}

describe('TLS through the SDK Session', () => {
  it('serves gRPC to Session clients and REST to https clients on the one port', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clouddesk-tls-'));
    const cert = await makeTestCert(dir);
    const server = await startServer({ args: ['--tls-cert', cert.certFile, '--tls-key', cert.keyFile] });
    try {
      const session = new Session({ iamToken: server.token, ssl: { rootCerts: Buffer.from(cert.cert) } });
      const svc = cloudDesktop.desktopImageService;
      const client = session.client(svc.DesktopImageServiceClient, `localhost:${server.port}`);
      const res = await client.list(svc.ListDesktopImagesRequest.fromPartial({ folderId: 'tls-folder' }));
      assert.deepEqual(res.desktopImages, []);
      const health = await new Promise<number>((resolve, reject) => {
        import('node:https').then(({ get }) =>
          get({ host: '127.0.0.1', port: server.port, path: '/healthz', ca: cert.cert, servername: 'localhost' }, (r) => {
            r.resume();
            resolve(r.statusCode ?? 0);
          }).on('error', reject),
        );
      });
      assert.equal(health, 200);
    } finally {
      await server.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Durability', () => {
  it('keeps every acknowledged change across a graceful restart', async () => {
    let server: RunningServer = await startServer();
    try {
      let sdk = sdkFor(server);
      const imp = await waitDone(sdk, await sdk.images.create({ folderId: 'dur', name: 'src', uri: src.url('/raw?size=65536') }));
      const computeId = compute.image.Image.decode(imp.response.value).id;
      const copied = await waitDone(sdk, await sdk.desktopImages.copy({ folderId: 'dur', name: 'kept', imageId: computeId, labels: { a: 'b' } }));
      const image = cloudDesktop.desktopImage.DesktopImage.decode(copied.response.value);
      sdk.close();
      server = await server.restart();
      sdk = sdkFor(server);
      assert.deepEqual(await sdk.desktopImages.get({ imageId: image.id }), image);
      assert.deepEqual((await sdk.operations.get({ operationId: copied.id })).response, copied.response);
      assert.equal((await sdk.images.get({ imageId: computeId })).status, compute.image.Image_Status.READY);
      sdk.close();
    } finally {
      await server.cleanup();
    }
  });

  it('stops gracefully on SIGTERM with exit code 0', async () => {
    const server = await startServer();
    const code = await server.stop('SIGTERM');
    assert.equal(code, 0);
    await server.cleanup();
  });

  it('finishes an import that a kill -9 interrupted, leaving no temp files or orphan blobs', async () => {
    let server: RunningServer = await startServer();
    try {
      let sdk = sdkFor(server);
      const size = 1024 * 1024;
      const path = `/slow?size=${size}`;
      const op = await sdk.images.create({ folderId: 'crash', name: 'slow', uri: src.url(path) });
      // Kill only once the download is under way: some of the body sent, not all of it.
      const interrupted = await src.sent(path, 1);
      assert.ok(interrupted.sent < size, `the download is still going when killed (${interrupted.sent} of ${size} bytes sent)`);
      await server.kill();
      sdk.close();
      const cut = await interrupted.ended;
      assert.ok(!cut.finished && cut.sent < size, `the kill landed mid-download (${cut.sent} of ${size} bytes sent)`);
      server = await startServer({ dataDir: server.dataDir });
      sdk = sdkFor(server);
      const done = await waitDone(sdk, op, 30_000);
      assert.equal(done.error, undefined, done.error?.message);
      const image = compute.image.Image.decode(done.response.value);
      assert.equal(image.storageSize, size);
      // Finished by a fresh download of the whole body after the restart.
      const mine = src.transfers.filter((t) => t.url === path);
      assert.equal(mine[0], interrupted);
      const last = await mine.at(-1)!.ended;
      assert.notEqual(last, interrupted, 'the restarted server downloaded the source again');
      assert.ok(last.finished && last.sent === size, `the last download was whole (${last.sent} of ${size} bytes sent)`);
      const files = filesUnder(join(server.dataDir, 'blobs'));
      assert.equal(files.filter((f) => f.endsWith('.tmp')).length, 0, 'no temp files');
      assert.equal(files.length, 1, 'exactly the one referenced blob');
      sdk.close();
    } finally {
      await server.cleanup();
    }
  });
});
