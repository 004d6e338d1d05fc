/**
 * Several processes on one blob directory (an NFS mount shared by replicas): writers of the same
 * and of different content, and a sweep that must not take another process's in-flight file.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { text } from 'node:stream/consumers';
import { describe, it } from 'node:test';
import { listAll, putText } from './blob-store.contract.js';
import { DiskBlobStore } from './disk-blob-store.js';

/** Another process with its own store on `dir`: writes, says "writing", commits when told. */
const WRITER = `
  const { DiskBlobStore } = await import(process.argv[1]);
  const store = await DiskBlobStore.open(process.argv[2]);
  const w = await store.begin();
  await w.write(Buffer.from('from the other process'));
  console.log('writing');
  process.stdin.once('data', async () => console.log(JSON.stringify(await w.commit())));
`;

async function sharedDir() {
  const root = await mkdtemp(join(tmpdir(), 'clouddesk-shared-'));
  return { dir: join(root, 'blobs'), cleanup: () => rm(root, { recursive: true, force: true }) };
}

describe('DiskBlobStore on a shared directory', () => {
  it('lets two stores write the same and different blobs at once', async () => {
    const { dir, cleanup } = await sharedDir();
    try {
      const [a, b] = await Promise.all([DiskBlobStore.open(dir), DiskBlobStore.open(dir)]);
      const writes = ['same', 'only a', 'same', 'same'].map((s, i) => putText(i % 2 ? b! : a!, s.repeat(50_000)));
      writes.push(putText(b!, 'only b'.repeat(50_000)));
      const blobs = await Promise.all(writes);
      const expected = [...new Set(blobs.map((x) => x.sha256))].sort();
      assert.equal(expected.length, 3);
      assert.deepEqual(await listAll(a!), expected);
      assert.deepEqual(await listAll(b!), expected);
      assert.equal(await text(b!.openRead(blobs[1]!.sha256)), 'only a'.repeat(50_000));
      assert.deepEqual(await readdir(join(dir, 'tmp')), []);
    } finally {
      await cleanup();
    }
  });

  it("sweeps stale temp files but never another live process's in-flight file", async () => {
    const { dir, cleanup } = await sharedDir();
    const child = spawn(process.execPath, ['--input-type=module', '-e', WRITER, join(import.meta.dirname, 'disk-blob-store.js'), dir], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    try {
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      assert.equal((await lines.next()).value, 'writing');
      const store = await DiskBlobStore.open(dir);
      const stale = join(dir, 'tmp', 'dead-host-1-00000000-abc.tmp');
      await writeFile(stale, 'left by a crash');
      const old = new Date(Date.now() - 2 * 3_600_000);
      await utimes(stale, old, old);
      const before = await readdir(join(dir, 'tmp'));
      assert.equal(before.length, 2);

      assert.equal(await store.sweepTemp(), 1);
      const inFlight = await readdir(join(dir, 'tmp'));
      assert.equal(inFlight.length, 1);
      assert.notEqual(inFlight[0], 'dead-host-1-00000000-abc.tmp');

      child.stdin!.write('commit\n');
      const committed = JSON.parse((await lines.next()).value as string) as { sha256: string };
      assert.equal(await text(store.openRead(committed.sha256)), 'from the other process');
      assert.deepEqual(await readdir(join(dir, 'tmp')), []);
    } finally {
      child.kill();
      await once(child, 'exit').catch(() => undefined);
      await cleanup();
    }
  });
});
