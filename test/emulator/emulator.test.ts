/**
 * The emulator controls against the real server: 404 when off, 401 without the bootstrap
 * credential; faults end the next calls' operations (or delay them); reset wipes everything;
 * state save/load through the CLI brings a saved state back at once.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../harness/server.js';
import { compute, sdkFor, waitDone, type SdkClients } from '../harness/sdk.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { clouddesk } from '../cli/cli-harness.js';
import { rejectsWith } from '../harness/assert-error.js';

function control(server: RunningServer, method: string, path: string, body?: unknown, token: string | null = server.token): Promise<Response> {
  return fetch(`http://127.0.0.1:${server.port}/_clouddesk/${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

function blobFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...blobFiles(p));
    else if (/^[0-9a-f]{64}$/.test(name)) out.push(name);
  }
  return out;
}

describe('emulator controls off', () => {
  it('every /_clouddesk/ path is 404, even with the bootstrap credential', async () => {
    const server = await startServer();
    try {
      for (const [m, p] of [['POST', 'reset'], ['GET', 'faults'], ['GET', 'state'], ['POST', 'anything']] as const) {
        assert.equal((await control(server, m, p)).status, 404, `${m} ${p}`);
      }
    } finally {
      await server.cleanup();
    }
  });
});

describe('emulator controls on', () => {
  let server: RunningServer;
  let sdk: SdkClients;
  let src: ImageSource;
  let computeImageId: string;

  const importImage = async () => {
    const op = await waitDone(sdk, await sdk.images.create({ folderId: 'src', name: 'base', uri: src.url(`/qcow2?virtual=${1024 ** 3}`) }));
    return compute.image.Image.decode(op.response.value).id as string;
  };

  before(async () => {
    server = await startServer({ env: { CLOUDDESK_EMULATOR: '1' } });
    sdk = sdkFor(server);
    src = await startImageSource();
    computeImageId = await importImage();
  });
  after(async () => {
    sdk.close();
    await src.close();
    await server.cleanup();
  });

  it('needs the bootstrap credential (401), and names unknown controls (404)', async () => {
    assert.equal((await control(server, 'POST', 'reset', undefined, null)).status, 401);
    assert.equal((await control(server, 'GET', 'faults', undefined, 'cdt1.wrong-credential-0000000000')).status, 401);
    assert.equal((await control(server, 'GET', 'nothing')).status, 404);
    assert.equal((await control(server, 'PATCH', 'faults')).status, 501);
  });

  it('validates fault bodies, naming the field', async () => {
    const ok = { method: 'DesktopImageService.Copy', count: 1, code: 'INTERNAL', message: 'injected', delayMs: 0 };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...ok, method: 'DesktopImageService.Nope' }, 'method'],
      [{ ...ok, method: 7 }, 'method'],
      [{ ...ok, count: 0 }, 'count'],
      [{ ...ok, count: 1.5 }, 'count'],
      [{ ...ok, code: 'BROKEN' }, 'code'],
      [{ ...ok, code: 'OK' }, 'code'],
      [{ ...ok, delayMs: -1 }, 'delayMs'],
      [{ ...ok, message: 5 }, 'message'],
      [{ ...ok, extra: true }, 'extra'],
      [{ method: 'DesktopImageService.Copy' }, 'code'],
    ];
    for (const [body, field] of cases) {
      const res = await control(server, 'POST', 'faults', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      const status = (await res.json()) as { message: string };
      assert.match(status.message, new RegExp(field), JSON.stringify(body));
    }
    assert.equal((await control(server, 'POST', 'faults', [1])).status, 400);
  });

  it('ends the next calls\' operations with the injected error, then runs normally', async () => {
    const fault = { method: 'DesktopImageService.Copy', count: 2, code: 'INTERNAL', message: 'injected', delayMs: 0 };
    const res = await control(server, 'POST', 'faults', fault);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), fault);
    assert.deepEqual(await (await control(server, 'GET', 'faults')).json(), { faults: [fault] });

    for (let i = 0; i < 2; i++) {
      const op = await sdk.desktopImages.copy({ folderId: 'faults', name: `f-${i}`, imageId: computeImageId });
      assert.ok(op.id, 'the call itself returns its operation');
      const done = await waitDone(sdk, op);
      assert.equal(done.error?.code, 13);
      assert.equal(done.error?.message, 'injected');
    }
    assert.deepEqual(await (await control(server, 'GET', 'faults')).json(), { faults: [] });
    const ok = await waitDone(sdk, await sdk.desktopImages.copy({ folderId: 'faults', name: 'fine', imageId: computeImageId }));
    assert.equal(ok.error, undefined);
    const list = await sdk.desktopImages.list({ folderId: 'faults' });
    assert.deepEqual(list.desktopImages.map((i: { name: string }) => i.name), ['fine'], 'failed copies left no image');
  });

  it('delays operations when only delayMs is given; DELETE clears pending faults', async () => {
    assert.equal((await control(server, 'POST', 'faults', { method: 'DesktopImageService.Copy', delayMs: 1500 })).status, 200);
    const started = Date.now();
    const done = await waitDone(sdk, await sdk.desktopImages.copy({ folderId: 'delay', name: 'slow', imageId: computeImageId }));
    assert.equal(done.error, undefined);
    assert.ok(Date.now() - started >= 1400, 'the operation waited');

    assert.equal((await control(server, 'POST', 'faults', { method: 'DesktopImageService.Copy', code: 'UNAVAILABLE' })).status, 200);
    assert.deepEqual(await (await control(server, 'DELETE', 'faults')).json(), { faults: [] });
    const fine = await waitDone(sdk, await sdk.desktopImages.copy({ folderId: 'delay', name: 'fine', imageId: computeImageId }));
    assert.equal(fine.error, undefined);
  });

  it('saves and loads state through the CLI, and reset wipes resources, operations and blobs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clouddesk-state-'));
    const file = join(dir, 'state.tar');
    const env = { XDG_CONFIG_HOME: dir, CLOUDDESK_TOKEN: server.token, CLOUDDESK_ENDPOINT: `127.0.0.1:${server.port}` };
    const copied = await waitDone(sdk, await sdk.desktopImages.copy({ folderId: 'kept', name: 'kept', imageId: computeImageId }));
    const saved = await clouddesk(['state', 'save', file, '--insecure'], env);
    assert.equal(saved.code, 0, saved.stderr);
    assert.ok(statSync(file).size > 0);
    const before = await sdk.desktopImages.list({ folderId: 'kept' });

    const reset = await control(server, 'POST', 'reset');
    assert.equal(reset.status, 204);
    assert.deepEqual((await sdk.desktopImages.list({ folderId: 'kept' })).desktopImages, []);
    await rejectsWith(sdk.operations.get({ operationId: copied.id }), 5, /not found/);
    await rejectsWith(sdk.images.get({ imageId: computeImageId }), 5, /not found/);
    assert.deepEqual(blobFiles(join(server.dataDir, 'blobs')), [], 'blobs removed');
    // The bootstrap credential still works (the SDK calls above used it).

    const loaded = await clouddesk(['state', 'load', file, '--insecure'], env);
    assert.equal(loaded.code, 0, loaded.stderr);
    assert.deepEqual(await sdk.desktopImages.list({ folderId: 'kept' }), before);
    assert.equal((await sdk.operations.get({ operationId: copied.id })).done, true);
    assert.ok(blobFiles(join(server.dataDir, 'blobs')).length >= 1, 'blobs back');
    // A loaded image can be used at once: copy it again.
    const again = await waitDone(sdk, await sdk.desktopImages.copy({ folderId: 'kept', name: 'again', imageId: computeImageId }));
    assert.equal(again.error, undefined);

    const bad = await clouddesk(['state', 'load', join(dir, 'missing.tar'), '--insecure'], env);
    assert.equal(bad.code, 1);
    const noToken = await clouddesk(['state', 'save', file, '--insecure'], { ...env, CLOUDDESK_TOKEN: 'cdt1.wrong-credential-0000000000' });
    assert.equal(noToken.code, 1);
    assert.match(noToken.stderr, /HTTP 401/);
  });
});
