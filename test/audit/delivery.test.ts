/**
 * Events are never lost: written in the transaction of their change, they reach the sinks
 * even when the server is killed (SIGKILL) between commit and delivery, and a webhook that is
 * down for a while receives every event once it recovers (duplicates allowed, at least once).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../harness/server.js';
import { compute, sdkFor, waitDone, type SdkClients } from '../harness/sdk.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { eventsOf, operationEvents, readEvents, waitForEvents } from './audit-files.js';
import { startWebhookReceiver } from './webhook-receiver.js';
import { assertHolds, waitFor } from '../harness/wait.js';

let src: ImageSource;
before(async () => {
  src = await startImageSource();
});
after(async () => {
  await src.close();
});

async function importImage(sdk: SdkClients, folderId: string): Promise<{ opId: string; imageId: string }> {
  const op = await waitDone(sdk, await sdk.images.create({ folderId, name: `src-${Date.now()}`, uri: src.url('/raw?size=65536') }));
  return { opId: op.id, imageId: compute.image.Image.decode(op.response.value).id };
}

describe('audit delivery across a crash', () => {
  it('delivers after restart what was committed but not yet delivered when the server was killed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'clouddesk-audit-'));
    const auditDir = join(dataDir, 'events');
    writeFileSync(auditDir, 'a file where the sink wants a directory: delivery fails until it is removed');
    let server: RunningServer = await startServer({ dataDir, args: ['--audit-dir', auditDir] });
    try {
      let sdk = sdkFor(server);
      const { opId, imageId } = await importImage(sdk, 'crash');
      const copy = await waitDone(sdk, await sdk.desktopImages.copy({ folderId: 'crash', name: 'c', imageId }));
      sdk.close();
      await server.kill();
      rmSync(auditDir);
      server = await startServer({ dataDir, args: ['--audit-dir', auditDir] });
      sdk = sdkFor(server);
      for (const id of [opId, copy.id]) {
        const [started, final] = await operationEvents(auditDir, id);
        assert.equal(started.event_status, 'STARTED');
        assert.equal(final.event_status, 'DONE');
      }
      sdk.close();
    } finally {
      await server.cleanup();
    }
  });

  it('kill -9 right after a mutation is acknowledged: its events arrive after restart', async () => {
    let server: RunningServer = await startServer();
    const auditDir = join(server.dataDir, 'audit');
    try {
      let sdk = sdkFor(server);
      const { imageId } = await importImage(sdk, 'crash2');
      const op = await sdk.desktopImages.copy({ folderId: 'crash2', name: 'k', imageId });
      await server.kill();
      sdk.close();
      server = await startServer({ dataDir: server.dataDir });
      sdk = sdkFor(server);
      await waitDone(sdk, op);
      const [started, final] = await operationEvents(auditDir, op.id);
      assert.equal(started.event_type, 'yandex.cloud.audit.clouddesktop.CopyDesktopImage');
      assert.match(final.event_status, /^(DONE|ERROR)$/);
      assert.equal(eventsOf(readEvents(auditDir), op.id).filter((e) => e.event_status === 'STARTED').length >= 1, true);
      sdk.close();
    } finally {
      await server.cleanup();
    }
  });
});

describe('webhook sink', () => {
  it('a webhook that fails for a while (and a restart meanwhile) receives every event once it recovers', async () => {
    const hook = await startWebhookReceiver();
    hook.failing = true;
    const args = ['--audit-sinks', 'file,webhook', '--audit-webhook-url', hook.url, '--audit-retry-max-ms', '300'];
    let server: RunningServer = await startServer({ args });
    const auditDir = join(server.dataDir, 'audit');
    try {
      let sdk = sdkFor(server);
      const { imageId } = await importImage(sdk, 'hook');
      const copy = await waitDone(sdk, await sdk.desktopImages.copy({ folderId: 'hook', name: 'h', imageId }));
      // The file sink is not held back by the failing webhook.
      await waitForEvents(auditDir, (evs) => eventsOf(evs, copy.id).length === 2);
      assert.ok(hook.refused > 0, 'the webhook was tried');
      assert.equal(hook.accepted.length, 0);

      sdk.close();
      await server.kill();
      server = await startServer({ dataDir: server.dataDir, args });
      sdk = sdkFor(server);
      const upd = await waitDone(sdk, await sdk.images.update({ imageId, updateMask: { paths: ['name'] }, name: 'after-restart' }));
      await waitForEvents(auditDir, (evs) => eventsOf(evs, upd.id).length === 2);
      // Proving an absence: while the webhook fails, nothing may count as accepted. Watched over
      // a bounded window longer than the retry cap (300 ms), so retries happen inside it.
      await assertHolds(() => hook.accepted.length === 0, { forMs: 500, what: 'still down: nothing accepted' });

      hook.failing = false;
      const expected = new Set(readEvents(auditDir).map((e) => e.event_id));
      assert.ok(expected.size >= 6);
      await waitFor(() => [...expected].every((id) => hook.accepted.some((e) => e.event_id === id)), {
        what: 'every event at the recovered webhook',
        detail: () => `webhook got ${hook.accepted.length} of ${expected.size} events`,
      });
      assert.deepEqual(hook.problems, []);
      // At least once: every event arrived; any repeat is a whole, identical event.
      for (const e of hook.accepted) assert.deepEqual(e, readEvents(auditDir).find((f) => f.event_id === e.event_id));
      sdk.close();
    } finally {
      await server.cleanup();
      await hook.close();
    }
  });
});
