import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeSync, openSync, closeSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { blobStoreContract, putText } from './blob-store.contract.js';
import { DiskBlobStore, tempNamePrefix } from './disk-blob-store.js';
import { fsError } from './disk-io.js';

async function fresh() {
  const root = await mkdtemp(join(tmpdir(), 'clouddesk-blobs-'));
  return { root, store: await DiskBlobStore.open(join(root, 'blobs')), cleanup: () => rm(root, { recursive: true, force: true }) };
}

blobStoreContract('DiskBlobStore', fresh);

describe('DiskBlobStore', () => {
  it('lays blobs out as sha256/<first two hex digits>/<hash>, read-only', async () => {
    const { root, store, cleanup } = await fresh();
    try {
      const { sha256 } = await putText(store, 'layout');
      const path = join(root, 'blobs', 'sha256', sha256.slice(0, 2), sha256);
      assert.equal(store.localPath(sha256), path);
      assert.equal((await stat(path)).mode & 0o777, 0o400);
      assert.deepEqual(await readdir(join(root, 'blobs', 'tmp')), []);
    } finally {
      await cleanup();
    }
  });

  it('a blob written across several background flushes commits whole, and an abort waits for the flush', async () => {
    const { root, store, cleanup } = await fresh();
    try {
      const chunk = Buffer.alloc(1024 * 1024);
      const hash = createHash('sha256');
      const w = await store.begin();
      for (let i = 0; i < 150; i++) {
        chunk.fill(i % 251);
        hash.update(chunk);
        await w.write(chunk);
      }
      const { sha256, size } = await w.commit();
      assert.equal(sha256, hash.digest('hex'));
      assert.equal(size, 150 * chunk.length);
      assert.equal((await stat(store.localPath(sha256))).size, size);

      const aborted = await store.begin();
      for (let i = 0; i < 70; i++) await aborted.write(chunk); // one flush started at 64 MiB
      await aborted.abort();
      assert.deepEqual(await readdir(join(root, 'blobs', 'tmp')), []);
    } finally {
      await cleanup();
    }
  });

  it('writes into tmp/ until commit', async () => {
    const { root, store, cleanup } = await fresh();
    try {
      const w = await store.begin();
      await w.write(Buffer.from('in flight'));
      assert.equal((await readdir(join(root, 'blobs', 'tmp'))).length, 1);
      await w.commit();
      assert.deepEqual(await readdir(join(root, 'blobs', 'tmp')), []);
    } finally {
      await cleanup();
    }
  });

  it('sweeps temp files left by a crash but not those of live writers', async () => {
    const { root, store, cleanup } = await fresh();
    try {
      const crashed = join(root, 'blobs', 'tmp', 'crashed.tmp');
      await writeFile(crashed, 'half');
      const old = new Date(Date.now() - 2 * 3_600_000);
      await utimes(crashed, old, old);
      const live = await store.begin();
      await live.write(Buffer.from('still writing'));
      assert.equal(await store.sweepTemp(), 1);
      const { sha256 } = await live.commit();
      assert.equal(await store.has(sha256), true);
      assert.deepEqual(await readdir(join(root, 'blobs', 'tmp')), []);
    } finally {
      await cleanup();
    }
  });

  it('in a directory of its own (exclusive), sweeps a dead process\'s fresh temp file too', async () => {
    const { root, cleanup } = await fresh();
    try {
      const killed = join(root, 'blobs', 'tmp', 'otherhost-4242-abcd-killed.tmp');
      await writeFile(killed, 'half'); // fresh: a kill -9 a moment ago
      const shared = await DiskBlobStore.open(join(root, 'blobs'));
      assert.equal(await shared.sweepTemp(), 0, 'a shared directory keeps it: its writer may be alive elsewhere');
      const own = await DiskBlobStore.open(join(root, 'blobs'), { exclusive: true });
      const live = await own.begin();
      await live.write(Buffer.from('still writing'));
      assert.equal(await own.sweepTemp(), 1);
      assert.equal(await own.has((await live.commit()).sha256), true);
      assert.deepEqual(await readdir(join(root, 'blobs', 'tmp')), []);
    } finally {
      await cleanup();
    }
  });

  it('in a shared directory, sweeps the fresh temp file of a process of this host and pid namespace that is gone, not a live one\'s', async () => {
    const { root, cleanup } = await fresh();
    try {
      const child = spawn(process.execPath, ['-e', '']);
      const deadPid = await new Promise<number>((resolve) => child.on('exit', () => resolve(child.pid!)));
      const tmp = join(root, 'blobs', 'tmp');
      const shared = await DiskBlobStore.open(join(root, 'blobs'));
      await writeFile(join(tmp, `${tempNamePrefix(deadPid)}abcd-killed.tmp`), 'half'); // fresh: a kill -9 a moment ago
      await writeFile(join(tmp, `${tempNamePrefix(process.ppid)}abcd-alive.tmp`), 'half'); // its process runs
      await writeFile(join(tmp, `elsewhere-${deadPid}-abcd-other.tmp`), 'half'); // another host's
      await writeFile(join(tmp, `${hostname()}~1-${deadPid}-abcd-other-ns.tmp`), 'half'); // this host's, another pid namespace's
      assert.equal(await shared.sweepTemp(), 1);
      assert.deepEqual((await readdir(tmp)).sort(), [`${tempNamePrefix(process.ppid)}abcd-alive.tmp`, `elsewhere-${deadPid}-abcd-other.tmp`, `${hostname()}~1-${deadPid}-abcd-other-ns.tmp`].sort());
    } finally {
      await cleanup();
    }
  });

  it('skips stray files when listing', async () => {
    const { root, store, cleanup } = await fresh();
    try {
      const { sha256 } = await putText(store, 'real');
      await writeFile(join(root, 'blobs', 'sha256', sha256.slice(0, 2), 'notes.txt'), 'x');
      assert.deepEqual(await collect(store.list()), [sha256]);
    } finally {
      await cleanup();
    }
  });

  it('reports a full disk as ResourceExhaustedError', () => {
    // /dev/full fails every write with a real ENOSPC.
    const fd = openSync('/dev/full', 'w');
    let caught: unknown;
    try {
      writeSync(fd, Buffer.from('x'));
    } catch (err) {
      caught = err;
    } finally {
      closeSync(fd);
    }
    assert.equal((caught as NodeJS.ErrnoException).code, 'ENOSPC');
    const mapped = fsError(caught);
    assert.equal(mapped.name, 'ResourceExhaustedError');
    assert.equal(mapped.message, "no space left on the blob store's disk");
    assert.equal(fsError(Object.assign(new Error('x'), { code: 'EIO' })).name, 'InternalError');
  });
});

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const s of it) out.push(s);
  return out;
}
