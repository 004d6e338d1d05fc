/**
 * Per-folder desktop image quotas (docs/decisions.md point 13): count and total storage_size,
 * RESOURCE_EXHAUSTED before any Operation exists, atomic under concurrent Copies, the system
 * images folder not counted, and the refusal recorded in the audit log.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../harness/server.js';
import { compute, sdkFor, waitDone, type SdkClients } from '../harness/sdk.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { failureOf, rejectsWith } from '../harness/assert-error.js';
import { waitForEvents } from '../audit/audit-files.js';

const SIZE = 65536;
let src: ImageSource;
before(async () => {
  src = await startImageSource();
});
after(async () => {
  await src.close();
});

async function withServer(args: string[], fn: (sdk: SdkClients, computeId: string, server: RunningServer) => Promise<void>): Promise<void> {
  const server = await startServer({ args });
  const sdk = sdkFor(server);
  try {
    const op = await waitDone(sdk, await sdk.images.create({ folderId: 'quota-src', name: 'base', uri: src.url(`/raw?size=${SIZE}`) }));
    const image = compute.image.Image.decode(op.response.value);
    assert.equal(Number(image.storageSize), SIZE);
    await fn(sdk, image.id, server);
  } finally {
    sdk.close();
    await server.cleanup();
  }
}

const count = async (sdk: SdkClients, folderId: string) => (await sdk.desktopImages.list({ folderId })).desktopImages.length;

describe('desktop image quotas', () => {
  it('count: the third Copy into a folder with a limit of 2 is RESOURCE_EXHAUSTED; other folders and the system folder unaffected', async () => {
    await withServer(['--quota-desktop-images-count', '2'], async (sdk, imageId, server) => {
      for (const name of ['a', 'b']) await waitDone(sdk, await sdk.desktopImages.copy({ folderId: 'q1', name, imageId }));
      await rejectsWith(sdk.desktopImages.copy({ folderId: 'q1', name: 'c', imageId }), 8, /^Quota limit vdi\.desktopImages\.count exceeded$/);
      assert.equal(await count(sdk, 'q1'), 2, 'no image and no operation for the refused call');
      await waitDone(sdk, await sdk.desktopImages.copy({ folderId: 'q1-other', name: 'x', imageId }));
      // The system images folder does not count.
      for (const name of ['s1', 's2', 's3']) await waitDone(sdk, await sdk.desktopImages.copy({ folderId: 'standard-images', name, imageId }));
      // Deleting one frees its slot.
      const [first] = (await sdk.desktopImages.list({ folderId: 'q1' })).desktopImages;
      await waitDone(sdk, await sdk.desktopImages.delete({ imageId: first.id }));
      await waitDone(sdk, await sdk.desktopImages.copy({ folderId: 'q1', name: 'c', imageId }));
      // The refusal is in the audit log as an ERROR event.
      const events = await waitForEvents(join(server.dataDir, 'audit'), (evs) => evs.some((e) => e.error?.code === 8));
      const refused = events.find((e) => e.error?.code === 8)!;
      assert.equal(refused.event_type, 'yandex.cloud.audit.clouddesktop.CopyDesktopImage');
      assert.equal(refused.event_status, 'ERROR');
      assert.equal(refused.error.message, 'Quota limit vdi.desktopImages.count exceeded');
    });
  });

  it('size: a Copy that would take the folder past the total size limit is RESOURCE_EXHAUSTED', async () => {
    await withServer(['--quota-desktop-images-size', String(Math.floor(SIZE * 2.5))], async (sdk, imageId) => {
      await waitDone(sdk, await sdk.desktopImages.copy({ folderId: 'q2', name: 'a', imageId }));
      await waitDone(sdk, await sdk.desktopImages.copy({ folderId: 'q2', name: 'b', imageId }));
      await rejectsWith(sdk.desktopImages.copy({ folderId: 'q2', name: 'c', imageId }), 8, /^Quota limit vdi\.desktopImages\.size exceeded$/);
      assert.equal(await count(sdk, 'q2'), 2);
    });
  });

  it('concurrent Copies at the last slot: exactly one succeeds', async () => {
    await withServer(['--quota-desktop-images-count', '3'], async (sdk, imageId) => {
      for (const name of ['a', 'b']) await waitDone(sdk, await sdk.desktopImages.copy({ folderId: 'q3', name, imageId }));
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => sdk.desktopImages.copy({ folderId: 'q3', name: `race-${i}`, imageId })),
      );
      const ok = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r) => r.status === 'rejected').map((r) => failureOf((r as PromiseRejectedResult).reason));
      assert.equal(ok.length, 1);
      assert.deepEqual(new Set(refused.map((f) => f.code)), new Set([8]));
      await waitDone(sdk, (ok[0] as PromiseFulfilledResult<{ id: string; done: boolean }>).value);
      assert.equal(await count(sdk, 'q3'), 3);
    });
  });

  it('default: unlimited', async () => {
    await withServer([], async (sdk, imageId) => {
      await Promise.all(Array.from({ length: 12 }, (_, i) => sdk.desktopImages.copy({ folderId: 'q4', name: `n${i}`, imageId })));
      assert.equal(await count(sdk, 'q4'), 12);
    });
  });
});
