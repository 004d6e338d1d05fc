/**
 * `clouddesk backup` and `restore`: a backup taken while Copies, Updates and imports keep
 * running against the live server holds every operation acknowledged before it started; the
 * restored data dir starts and serves; modes are 0700/0600/0400; restore refuses a non-empty
 * data dir without --force.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../harness/server.js';
import { compute, sdkFor, waitDone, type SdkClients } from '../harness/sdk.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { clouddesk } from '../cli/cli-harness.js';
import { Status } from 'nice-grpc';
import { failureOf } from '../harness/assert-error.js';

const FOLDER = 'team-backup';

let live: RunningServer;
let restored: RunningServer | undefined;
let src: ImageSource;
let sdk: SdkClients;
let imageId: string;
let scratch: string;

before(async () => {
  live = await startServer();
  src = await startImageSource();
  sdk = sdkFor(live);
  const op = await waitDone(sdk, await sdk.images.create({ folderId: FOLDER, name: 'base', uri: src.url('/qcow2?virtual=1073741824') }));
  imageId = compute.image.Image.decode(op.response.value).id as string;
  scratch = mkdtempSync(join(tmpdir(), 'clouddesk-backup-test-'));
});

after(async () => {
  sdk.close();
  await restored?.cleanup();
  await live.cleanup();
  await src.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Mode bits of every path under `dir`, by kind. */
function modes(dir: string): { dirs: Set<number>; files: Set<number>; blobs: Set<number> } {
  const out = { dirs: new Set<number>([statSync(dir).mode & 0o777]), files: new Set<number>(), blobs: new Set<number>() };
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    const st = statSync(path);
    const kind = st.isDirectory() ? out.dirs : name.includes('sha256') ? out.blobs : out.files;
    kind.add(st.mode & 0o777);
  }
  return out;
}

describe('clouddesk backup and restore', () => {
  it('restores every change acknowledged before a backup taken under write load', async () => {
    const acknowledged: string[] = [];
    let started = false;
    const before: string[] = [];
    let stop = false;
    const ack = (id: string) => (started ? acknowledged : before).push(id);
    let n = 0;
    const copier = async () => {
      while (!stop) ack((await sdk.desktopImages.copy({ folderId: FOLDER, name: `copy-${n++}`, imageId })).id);
    };
    const updater = async (target: string) => {
      for (let i = 0; !stop; i++) ack((await sdk.desktopImages.update({ imageId: target, updateMask: { paths: ['description'] }, description: `rev ${i}` })).id);
    };
    const importer = async () => {
      // New blobs appear while the backup runs (each size is different content).
      // The import queue is bounded: a call refused with RESOURCE_EXHAUSTED was not acknowledged,
      // so the loop backs off and goes on, as a client would.
      for (let i = 1; !stop; i++) {
        try {
          ack((await sdk.images.create({ folderId: FOLDER, name: `imp-${i}`, uri: src.url(`/qcow2?virtual=${(i + 1) * 1073741824}`) })).id);
        } catch (err) {
          if (failureOf(err).code !== Status.RESOURCE_EXHAUSTED) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };
    await waitDone(sdk, await sdk.desktopImages.copy({ folderId: FOLDER, name: 'updated', imageId }));
    const updatedId = (await sdk.desktopImages.list({ folderId: FOLDER })).desktopImages[0].id as string;
    const load = Promise.all([copier(), copier(), updater(updatedId), importer()]);
    await new Promise((r) => setTimeout(r, 1500));
    started = true;
    const run = await clouddesk(['backup', '--data-dir', live.dataDir, '--to', join(scratch, 'b1')], {});
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await load;
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.ok(before.length >= 5, `only ${before.length} operations before the backup`);

    const m = modes(join(scratch, 'b1'));
    assert.deepEqual([...m.dirs], [0o700]);
    assert.deepEqual([...m.files], [0o600]);
    assert.deepEqual([...m.blobs], [0o400]);

    const dataDir = join(scratch, 'restored');
    const res = await clouddesk(['restore', '--from', join(scratch, 'b1'), '--data-dir', dataDir], {});
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const r = modes(dataDir);
    assert.deepEqual([...r.files], [0o600]);
    assert.deepEqual([...r.blobs], [0o400]);

    restored = await startServer({ dataDir });
    const rsdk = sdkFor(restored);
    try {
      for (const operationId of before) assert.equal((await rsdk.operations.get({ operationId })).id, operationId);
      const images = (await rsdk.desktopImages.list({ folderId: FOLDER, pageSize: 1000 })).desktopImages;
      assert.ok(images.length >= 2);
      const done = await waitDone(rsdk, await rsdk.desktopImages.copy({ folderId: FOLDER, name: 'after-restore', imageId }));
      assert.equal(done.error, undefined, done.error?.message);
    } finally {
      rsdk.close();
    }
  });

  it('starts no second server on a data dir in use', async () => {
    const second = await clouddesk(['serve', '--listen', '127.0.0.1:0', '--data-dir', live.dataDir], {});
    assert.equal(second.code, 1);
    assert.match(second.stdout, /"type":"DataDirInUseError".*in use by a running clouddesk server/);
  });

  it('refuses a non-empty data dir unless --force, and a data dir in use even then', async () => {
    const full = join(scratch, 'full');
    const res = await clouddesk(['restore', '--from', join(scratch, 'b1'), '--data-dir', full], {});
    assert.equal(res.code, 0, res.stderr);
    const again = await clouddesk(['restore', '--from', join(scratch, 'b1'), '--data-dir', full], {});
    assert.equal(again.code, 1);
    assert.match(again.stderr, /--data-dir: .* is not empty \(use --force/);
    const forced = await clouddesk(['restore', '--from', join(scratch, 'b1'), '--data-dir', full, '--force'], {});
    assert.equal(forced.code, 0, forced.stdout + forced.stderr);
    const busy = await clouddesk(['restore', '--from', join(scratch, 'b1'), '--data-dir', restored!.dataDir, '--force'], {});
    assert.equal(busy.code, 1);
    assert.match(busy.stderr, /in use by a running clouddesk server/);
  });

  it('refuses a backup dir that is not empty, and a restore from a dir without a complete backup', async () => {
    const b = await clouddesk(['backup', '--data-dir', live.dataDir, '--to', scratch], {});
    assert.equal(b.code, 1);
    assert.match(b.stderr, /--to: .* is not empty/);
    const r = await clouddesk(['restore', '--from', live.dataDir, '--data-dir', join(scratch, 'lone')], {});
    assert.equal(r.code, 1);
    assert.match(r.stderr, /holds no complete backup \(backup\.json is missing\)/);
    assert.deepEqual(readdirSync(scratch).includes('lone'), false);
  });
});
