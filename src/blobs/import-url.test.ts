import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { BlobStore } from '../domain/blobs/blob-store.js';
import { listAll } from './blob-store.contract.js';
import { DiskBlobStore } from './disk-blob-store.js';
import { fsError } from './disk-io.js';
import { LOCAL_SOURCE, QCOW2, QCOW2_VIRTUAL_SIZE, RAW, startFakeSource, type FakeSource } from './fake-source.js';
import { UNFETCHABLE } from './download-errors.js';
import { DEFAULT_MAX_VIRTUAL_SIZE, importFromUrl, type ImportOptions } from './import-url.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const MiB = 1 << 20;

describe('importFromUrl', () => {
  let src: FakeSource;
  let root: string;
  let blobs: DiskBlobStore;
  before(async () => (src = await startFakeSource()));
  after(() => src.close());
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'clouddesk-import-'));
    blobs = await DiskBlobStore.open(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const opts = (o: Partial<ImportOptions> = {}): ImportOptions =>
    ({ maxBytes: MiB, maxVirtualSize: DEFAULT_MAX_VIRTUAL_SIZE, stallTimeoutMs: 2000, ...LOCAL_SOURCE, ...o });

  async function assertNothingLeft(): Promise<void> {
    assert.deepEqual(await listAll(blobs), [], 'no blob');
    assert.deepEqual(await readdir(join(root, 'tmp')), [], 'no temp file');
  }

  async function fails(url: string, expected: { name: string; message: string | RegExp }, o: Partial<ImportOptions> = {}, store: BlobStore = blobs) {
    await assert.rejects(importFromUrl(store, url, opts(o)), (err: Error) => {
      assert.equal(err.name, expected.name);
      if (typeof expected.message === 'string') assert.equal(err.message, expected.message);
      else assert.match(err.message, expected.message);
      return true;
    });
    await assertNothingLeft();
  }

  describe('stores', () => {
    for (const path of ['/raw', '/raw-chunked', '/redirect', '/hops/5']) {
      it(`a raw image from ${path}`, async () => {
        const image = await importFromUrl(blobs, src.url(path), opts());
        assert.deepEqual(image, { sha256: sha(RAW), size: RAW.length, format: 'raw', virtualSize: BigInt(RAW.length) });
        assert.deepEqual(await buffer(blobs.openRead(image.sha256)), RAW);
        assert.deepEqual(await readdir(join(root, 'tmp')), []);
      });
    }

    it('a qcow2 image, with its virtual size', async () => {
      const image = await importFromUrl(blobs, src.url('/qcow2'), opts());
      assert.deepEqual(image, { sha256: sha(QCOW2), size: QCOW2.length, format: 'qcow2', virtualSize: QCOW2_VIRTUAL_SIZE });
    });

    it('the same bytes twice as one blob', async () => {
      await importFromUrl(blobs, src.url('/raw'), opts());
      await importFromUrl(blobs, src.url('/raw-chunked'), opts());
      assert.deepEqual(await listAll(blobs), [sha(RAW)]);
    });

    it('several at once, each to its own end (they share the import thread)', async () => {
      const ctl = new AbortController();
      const stalled = importFromUrl(blobs, src.url('/stall'), opts({ stallTimeoutMs: 10_000, signal: ctl.signal }));
      const [raw, qcow2, missing] = await Promise.allSettled([
        importFromUrl(blobs, src.url('/raw-chunked'), opts()),
        importFromUrl(blobs, src.url('/qcow2'), opts()),
        importFromUrl(blobs, src.url('/missing'), opts()),
      ]);
      ctl.abort();
      await assert.rejects(stalled, { name: 'CancelledError', message: 'import cancelled' });
      assert.deepEqual(raw, { status: 'fulfilled', value: { sha256: sha(RAW), size: RAW.length, format: 'raw', virtualSize: BigInt(RAW.length) } });
      assert.deepEqual(qcow2, { status: 'fulfilled', value: { sha256: sha(QCOW2), size: QCOW2.length, format: 'qcow2', virtualSize: QCOW2_VIRTUAL_SIZE } });
      assert.equal(missing.status, 'rejected');
      assert.equal((missing as PromiseRejectedResult).reason.message, 'uri: source answered HTTP 404 Not Found');
      assert.deepEqual(new Set(await listAll(blobs)), new Set([sha(RAW), sha(QCOW2)]));
      assert.deepEqual(await readdir(join(root, 'tmp')), []);
    });
  });

  describe('refuses, leaving nothing behind,', () => {
    it('a URL that is not http or https', async () => {
      const message = 'Request validation error: uri: must be an http or https URL';
      await fails('ftp://127.0.0.1/image.qcow2', { name: 'InvalidArgumentError', message });
      await fails('not a url', { name: 'InvalidArgumentError', message });
    });

    it('an HTTP error status', async () => {
      await fails(src.url('/missing'), { name: 'FailedPreconditionError', message: 'uri: source answered HTTP 404 Not Found' });
      await fails(src.url('/unavailable'), { name: 'UnavailableError', message: 'uri: source answered HTTP 503 Service Unavailable' });
    });

    it('a host that refuses the connection', async () => {
      const closed = http.createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise((resolve) => closed.close(resolve));
      await fails(`http://127.0.0.1:${port}/x`, { name: 'UnavailableError', message: UNFETCHABLE });
    });

    it('a connection closed half-way', async () => {
      await fails(src.url('/short'), { name: 'UnavailableError', message: 'uri: connection closed after 1024 of 4096 bytes' });
      await fails(src.url('/short-chunked'), { name: 'UnavailableError', message: 'uri: connection closed after 1024 bytes' });
    });

    it('a source that stalls, before or after the headers', async () => {
      await fails(src.url('/stall'), { name: 'DeadlineExceededError', message: 'uri: no data for 200 ms' }, { stallTimeoutMs: 200 });
      await fails(src.url('/stall-headers'), { name: 'DeadlineExceededError', message: 'uri: no data for 200 ms' }, { stallTimeoutMs: 200 });
    });

    it('a file above the size limit, early when Content-Length says so', async () => {
      const message = 'uri: image is larger than the limit of 1048576 bytes';
      await fails(src.url('/oversize'), { name: 'ResourceExhaustedError', message }); // the body never comes: no stall
      await fails(src.url('/oversize-chunked'), { name: 'ResourceExhaustedError', message });
      await fails(src.url('/raw'), { name: 'ResourceExhaustedError', message: 'uri: image is larger than the limit of 99999 bytes' }, { maxBytes: 99_999 });
    });

    it('a virtual size above the maximum', async () => {
      await fails(src.url('/huge-virtual'), {
        name: 'InvalidArgumentError',
        message: 'Request validation error: uri: qcow2 virtual size 1152921504606846976 exceeds the maximum 4398046511104',
      });
      await fails(src.url('/qcow2'), { name: 'InvalidArgumentError', message: /uri: qcow2 virtual size 8589934592 exceeds the maximum 1073741824$/ }, { maxVirtualSize: 1n << 30n });
    });

    it('a truncated qcow2', async () => {
      await fails(src.url('/truncated-qcow2'), { name: 'InvalidArgumentError', message: /uri: qcow2 image is truncated: a data cluster starts at byte \d+, beyond the end of the file/ });
    });

    it('a compressed body, redirect loops and redirects elsewhere', async () => {
      await fails(src.url('/gzip'), { name: 'FailedPreconditionError', message: 'uri: source sent a gzip-encoded body, which is not supported' });
      await fails(src.url('/hops/6'), { name: 'FailedPreconditionError', message: 'uri: too many redirects (more than 5)' });
      await fails(src.url('/ftp-redirect'), { name: 'FailedPreconditionError', message: 'uri: source redirected to a URL that is not http or https' });
    });

    it('a URL with user:password@', async () => {
      const message = 'Request validation error: uri: must not contain user:password@; use a pre-signed URL';
      await fails(src.url('/raw').replace('http://', 'http://user:pw@'), { name: 'InvalidArgumentError', message });
    });

    it('a source that drip-feeds a byte a second, on the minimum rate', async () => {
      const transfer = { ...LOCAL_SOURCE.transfer, minBytesPerSecond: 100, rateWindowMs: 1000 };
      const started = Date.now();
      await fails(src.url('/drip'), { name: 'DeadlineExceededError', message: 'uri: source sent less than 100 bytes/s over 1000 ms' }, { transfer });
      assert.ok(Date.now() - started < 2500, 'fails after about one window');
    });

    it('a source slower than the overall deadline', async () => {
      const transfer = { ...LOCAL_SOURCE.transfer, deadlineMs: 300 };
      await fails(src.url('/drip'), { name: 'DeadlineExceededError', message: 'uri: import took longer than 300 ms' }, { transfer });
    });

    it('any import while free disk space is below the floor', async () => {
      const message = 'uri: the server is low on disk space for images; try again later';
      await fails(src.url('/raw'), { name: 'ResourceExhaustedError', message }, { freeBytes: async () => 10, transfer: { ...LOCAL_SOURCE.transfer, minFreeBytes: 11 } });
    });

    it('a full disk', async () => {
      await fails(src.url('/raw'), { name: 'ResourceExhaustedError', message: "no space left on the blob store's disk" }, {}, fullAfter(blobs, 50_000));
    });

    it('a full disk under the import thread (the directory store writes there)', async () => {
      // The worker opens the temp file by its path; here that path leads to /dev/full, so its
      // writes fail with a real ENOSPC, which must come back across the thread as the same error.
      const begin = blobs.begin.bind(blobs);
      blobs.begin = async () => {
        const writer = await begin();
        await rm(writer.tempPath);
        await symlink('/dev/full', writer.tempPath);
        return writer;
      };
      try {
        await fails(src.url('/raw'), { name: 'ResourceExhaustedError', message: "no space left on the blob store's disk" });
      } finally {
        blobs.begin = begin;
      }
      const image = await importFromUrl(blobs, src.url('/raw'), opts());
      assert.equal(image.sha256, sha(RAW), 'the thread goes on serving imports');
    });

    it('a cancelled import, at once', async () => {
      const ctl = new AbortController();
      setTimeout(() => ctl.abort(), 100);
      const started = Date.now();
      await fails(src.url('/stall'), { name: 'CancelledError', message: 'import cancelled' }, { stallTimeoutMs: 10_000, signal: ctl.signal });
      assert.ok(Date.now() - started < 2000);
      await fails(src.url('/raw'), { name: 'CancelledError', message: 'import cancelled' }, { signal: AbortSignal.abort() });
    });
  });
});

/** The store, except that writes past `limit` bytes fail with a real ENOSPC (taken from /dev/full). */
function fullAfter(inner: BlobStore, limit: number): BlobStore {
  const enospc = () => {
    const fd = openSync('/dev/full', 'w');
    try {
      writeSync(fd, Buffer.alloc(1));
      return new Error('/dev/full accepted a write');
    } catch (err) {
      return fsError(err);
    } finally {
      closeSync(fd);
    }
  };
  return {
    begin: async () => {
      const w = await inner.begin();
      return {
        get size() { return w.size; },
        write: async (chunk) => {
          if (w.size + chunk.length > limit) throw enospc();
          await w.write(chunk);
        },
        commit: () => w.commit(),
        abort: () => w.abort(),
      };
    },
    has: (s) => inner.has(s),
    size: (s) => inner.size(s),
    delete: (s) => inner.delete(s),
    list: () => inner.list(),
    usage: () => inner.usage(),
    localPath: (s) => inner.localPath(s),
    openRead: (s) => inner.openRead(s),
    freeBytes: () => inner.freeBytes(),
    sweepTemp: () => inner.sweepTemp(),
  };
}
