/**
 * Image imports as the security review found them (docs/security.md): a loopback source refused
 * in any spelling even on an allowed port, one message for every connection failure, userinfo
 * refused at request time, the URL switch, the queue bound, the per-folder cap and the Compute
 * image quotas (RESOURCE_EXHAUSTED before an Operation exists).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../harness/server.js';
import { sdkFor, waitDone, type SdkClients } from '../harness/sdk.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { rejectsWith } from '../harness/assert-error.js';

let src: ImageSource;
before(async () => (src = await startImageSource()));
after(() => src.close());

async function withServer(opts: { args?: string[]; env?: Record<string, string> }, fn: (sdk: SdkClients, server: RunningServer) => Promise<void>) {
  const server = await startServer(opts);
  const sdk = sdkFor(server);
  try {
    await fn(sdk, server);
  } finally {
    sdk.close();
    await server.cleanup();
  }
}

const UNFETCHABLE = { code: 14, message: 'uri: the source could not be fetched' };
const errorOf = (op: any) => ({ code: op.error?.code, message: op.error?.message });

describe('import sources', () => {
  it('refuses a loopback source in every spelling, even on an allowed port, with one message', async () => {
    const port = new URL(src.url('/')).port;
    // Only the address check stands between the import and the source: its port is allowed.
    await withServer({ env: { CLOUDDESK_IMPORT_ALLOW_PRIVATE: '' }, args: ['--import-allowed-ports', port] }, async (sdk, server) => {
      const hits = src.hits.length;
      for (const host of ['127.0.0.1', '2130706433', '0177.0.0.1', '0x7f.1', '127.1', 'localhost', '[::ffff:127.0.0.1]', '[::1]', '0']) {
        const op = await waitDone(sdk, await sdk.images.create({ folderId: 'ssrf', uri: `http://${host}:${port}/raw?size=65536` }));
        assert.deepEqual(errorOf(op), UNFETCHABLE, host);
      }
      assert.equal(src.hits.length, hits, 'the source never saw a request');
      const refusals = () => server.logs.filter((l) => l['msg'] === 'import source could not be fetched');
      for (let i = 0; i < 50 && refusals().length < 9; i++) await new Promise((r) => setTimeout(r, 100)); // logs are batched
      assert.ok(refusals().length >= 9 && refusals().every((l) => l['code'] === 'REFUSED_BY_POLICY'), JSON.stringify(refusals()));
      // The same words for a host that does not resolve (refused, reset, TLS: src/blobs/http-source.test.ts).
      for (const uri of ['http://no-such-host.invalid/x']) {
        assert.deepEqual(errorOf(await waitDone(sdk, await sdk.images.create({ folderId: 'ssrf', uri }))), UNFETCHABLE, uri);
      }
    });
  });

  it('refuses user:password@ in the uri at request time, naming uri', async () => {
    await withServer({}, async (sdk) => {
      await rejectsWith(sdk.images.create({ folderId: 'ui', uri: src.url('/raw').replace('http://', 'http://u:p@') }), 3, /uri: Credentials \(user:password@\) are not accepted/);
      assert.equal((await sdk.images.list({ folderId: 'ui' })).images.length, 0);
    });
  });

  it('--import-urls=false answers FAILED_PRECONDITION, and fails an import a crash left unfinished', async () => {
    let server = await startServer();
    try {
      let sdk = sdkFor(server);
      const path = `/slow?size=${256 * 1024 * 1024}&seed=9`;
      const op = await sdk.images.create({ folderId: 'off', uri: src.url(path) });
      await src.sent(path, 65536);
      sdk.close();
      await server.kill();
      server = await server.restart({ args: ['--import-urls=false'] });
      sdk = sdkFor(server);
      const done = await waitDone(sdk, op);
      assert.deepEqual(errorOf(done), { code: 9, message: 'uri: importing images from URLs is turned off on this server (--import-urls)' });
      await rejectsWith(sdk.images.create({ folderId: 'off', uri: src.url('/raw') }), 9, /importing images from URLs is turned off/);
      sdk.close();
    } finally {
      await server.cleanup();
    }
  });
});

describe('import fairness', () => {
  it('bounds the queue of waiting imports, and lets one folder take only its share of slots', async () => {
    const args = ['--import-concurrency', '2', '--import-folder-concurrency', '1', '--import-queue-max', '1'];
    await withServer({ args }, async (sdk) => {
      const slow = (seed: number) => `/slow?size=${512 * 1024 * 1024}&seed=${seed}`;
      const a1 = await sdk.images.create({ folderId: 'fa', uri: src.url(slow(1)) });
      await src.sent(slow(1), 65536);
      const a2 = await sdk.images.create({ folderId: 'fa', uri: src.url(slow(2)) });
      const b1 = await sdk.images.create({ folderId: 'fb', uri: src.url(slow(3)) });
      // fb's import starts although fa's second waits: fa holds one of the two slots only.
      await src.sent(slow(3), 65536);
      assert.ok(!src.transfers.some((t) => t.url === slow(2)), 'the folder over its cap waits');
      // Two downloading + one waiting = concurrency + queue: the next is refused, with no Operation.
      await rejectsWith(sdk.images.create({ folderId: 'fc', uri: src.url(slow(4)) }), 8, /^Too many image imports are waiting/);
      assert.equal((await sdk.images.list({ folderId: 'fc' })).images.length, 0);
      for (const op of [a1, a2, b1]) await sdk.operations.cancel({ operationId: op.id });
      for (const op of [a1, a2, b1]) assert.equal((await waitDone(sdk, op)).error?.code, 1);
    });
  });

  it('Compute image quotas: count and size per folder, RESOURCE_EXHAUSTED before an Operation', async () => {
    await withServer({ args: ['--quota-compute-images-count', '2', '--quota-compute-images-size', '200K'] }, async (sdk) => {
      const first = await waitDone(sdk, await sdk.images.create({ folderId: 'q', name: 'a', uri: src.url('/raw?size=65536') }));
      assert.equal(first.error, undefined);
      // An import's size is known only at its end: 64K + 150K does not fit 200K.
      const big = await waitDone(sdk, await sdk.images.create({ folderId: 'q', name: 'b', uri: src.url(`/raw?size=${150 * 1024}`) }));
      assert.deepEqual(errorOf(big), { code: 8, message: 'Quota limit compute.images.size exceeded' });
      const [image] = (await sdk.images.list({ folderId: 'q' })).images;
      assert.equal((await waitDone(sdk, await sdk.images.create({ folderId: 'q', name: 'c', imageId: image.id }))).error, undefined);
      await rejectsWith(sdk.images.create({ folderId: 'q', name: 'd', imageId: image.id }), 8, /^Quota limit compute\.images\.count exceeded$/);
      await rejectsWith(sdk.images.create({ folderId: 'q', name: 'e', uri: src.url('/raw') }), 8, /^Quota limit compute\.images\.count exceeded$/);
      assert.equal((await sdk.images.list({ folderId: 'q' })).images.length, 2, 'no image for the refused calls');
      // Other folders are not affected.
      assert.equal((await waitDone(sdk, await sdk.images.create({ folderId: 'q2', name: 'a', imageId: image.id }))).error, undefined);
    });
  });
});
