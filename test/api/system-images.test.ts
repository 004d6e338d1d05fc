/** System images: seeded from files at start-up, listed in the system folder, read-only. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BOOTSTRAP_TOKEN, startServer } from '../harness/server.js';

const BIN = resolve(import.meta.dirname, '../../../bin/clouddesk.js');
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

  it('skip symlinks and unusable names with a warning; a broken file stops start-up, named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clouddesk-sys-'));
    const outside = mkdtempSync(join(tmpdir(), 'clouddesk-outside-'));
    writeFileSync(join(outside, 'secret.raw'), Buffer.alloc(1024 * 1024, 9));
    writeFileSync(join(dir, 'good.raw'), Buffer.alloc(1024 * 1024, 1));
    writeFileSync(join(dir, 'bad name;rm.raw'), Buffer.alloc(1024 * 1024, 2));
    writeFileSync(join(dir, `${'x'.repeat(60)}.raw`), Buffer.alloc(1024 * 1024, 3));
    symlinkSync(join(outside, 'secret.raw'), join(dir, 'linked.raw'));
    const server = await startServer({ args: ['--system-images-dir', dir] });
    try {
      const sdk = sdkFor(server);
      const list = await sdk.desktopImages.list({ folderId: 'standard-images' });
      assert.deepEqual(list.desktopImages.map((i: any) => i.name), ['good']);
      sdk.close();
      const warnings = server.logs.filter((l) => String(l['msg']).startsWith('system image skipped')).map((l) => [l['msg'], l['file']]);
      assert.deepEqual(warnings.sort(), [
        ['system image skipped: symbolic links are not followed', 'linked.raw'],
        ['system image skipped: the name must be 1-50 letters, digits, ".", "_" or "-"', '"bad name;rm.raw"'],
        ['system image skipped: the name must be 1-50 letters, digits, ".", "_" or "-"', `"${'x'.repeat(60)}.raw"`],
      ]);
    } finally {
      await server.cleanup();
    }
    // An empty file is not an image: start-up stops, and says which file.
    writeFileSync(join(dir, 'empty.raw'), Buffer.alloc(0));
    const data = mkdtempSync(join(tmpdir(), 'clouddesk-test-'));
    const run = spawnSync(process.execPath, [BIN, 'serve', '--listen', '127.0.0.1:0', '--data-dir', data, '--system-images-dir', dir], {
      env: { ...process.env, CLOUDDESK_BOOTSTRAP_TOKEN: BOOTSTRAP_TOKEN }, encoding: 'utf8', timeout: 20_000,
    });
    try {
      assert.equal(run.status, 1);
      assert.ok(run.stdout.includes(`system image ${join(dir, 'empty.raw')}: `), run.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
      rmSync(data, { recursive: true, force: true });
    }
  });
});
