/** System images: seeded from files at start-up, listed in the system folder, read-only. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../harness/server.js';
import { cloudDesktop, sdkFor } from '../harness/sdk.js';
import { qcow2Image } from '../harness/image-source.js';
import { rejectsWith } from '../harness/assert-error.js';

describe('System images', () => {
  it('are seeded once from --system-images-dir and cannot be changed or deleted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clouddesk-sys-'));
    writeFileSync(join(dir, 'ubuntu-2204.qcow2'), qcow2Image(BigInt(32 * 1024 ** 3)));
    writeFileSync(join(dir, 'tiny.raw'), Buffer.alloc(8 * 1024 * 1024, 1));
    writeFileSync(join(dir, 'README.txt'), 'not an image');
    let server = await startServer({ args: ['--system-images-dir', dir] });
    try {
      let sdk = sdkFor(server);
      const list = await sdk.desktopImages.list({ folderId: 'standard-images', orderBy: 'name' });
      assert.deepEqual(
        list.desktopImages.map((i: any) => [i.name, i.status, i.minDiskSize]),
        [
          ['tiny', cloudDesktop.desktopImage.DesktopImage_Status.ACTIVE, 8 * 1024 * 1024],
          ['ubuntu-2204', cloudDesktop.desktopImage.DesktopImage_Status.ACTIVE, 32 * 1024 ** 3],
        ],
      );
      const id = list.desktopImages[1].id;
      await rejectsWith(sdk.desktopImages.update({ imageId: id, name: 'mine' }), 9, /System desktop image/);
      await rejectsWith(sdk.desktopImages.delete({ imageId: id }), 9, /System desktop image/);
      sdk.close();
      server = await server.restart();
      sdk = sdkFor(server);
      const again = await sdk.desktopImages.list({ folderId: 'standard-images', orderBy: 'name' });
      assert.deepEqual(again.desktopImages, list.desktopImages);
      sdk.close();
    } finally {
      await server.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
