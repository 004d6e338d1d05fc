/**
 * Local files for image blobs, which QEMU opens read-only as backing files. A directory blob
 * store hands out its own file; with remote blobs (S3) the bytes are downloaded into a cache
 * under the data dir, checked against their hash, and the least recently used copies not in
 * use are removed once the cache holds more than its bound. Concurrent requests for one blob
 * share one download; a failed download leaves nothing behind, so the next request tries
 * afresh (Nova's image cache fetches under a per-image lock the same way). A backing file's format is always
 * told to QEMU, never probed: it is read here from the first bytes, as the importer read it.
 *
 *   const base = await images.localFile(sha256, signal);   // { path, format: 'raw' | 'qcow2' }
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { randomBytes } from 'node:crypto';
import type { BlobStore } from '../../domain/blobs/blob-store.js';
import { CancelledError, DataLossError } from '../../domain/errors.js';
import { isQcow2 } from '../../blobs/formats/qcow2.js';

export interface BaseFile {
  path: string;
  format: 'raw' | 'qcow2';
}

export class BaseImages {
  /** Downloads in flight, by hash: later requests wait for the first one's file. */
  private readonly downloads = new Map<string, Download>();

  constructor(
    private readonly blobs: BlobStore,
    private readonly cacheDir: string,
    private readonly maxBytes: number | undefined,
    /** Blobs a machine or a capture uses now: never evicted. */
    private readonly inUse: () => ReadonlySet<string>,
  ) {}

  async localFile(sha256: string, signal?: AbortSignal): Promise<BaseFile> {
    const path = this.blobs.localPath(sha256) ?? (await this.cached(sha256, signal));
    return { path, format: await formatOf(path) };
  }

  private async cached(sha256: string, signal?: AbortSignal): Promise<string> {
    const path = join(this.cacheDir, sha256);
    const now = new Date();
    if (await utimes(path, now, now).then(() => true, () => false)) return path;
    let download = this.downloads.get(sha256);
    if (!download) {
      const abort = new AbortController();
      const forget = () => {
        if (this.downloads.get(sha256) === download) this.downloads.delete(sha256);
      };
      download = { file: this.download(sha256, path, abort.signal).finally(forget), abort, waiters: 0, forget };
      this.downloads.set(sha256, download);
    }
    return waitFor(download, signal);
  }

  private async download(sha256: string, path: string, signal?: AbortSignal): Promise<string> {
    await mkdir(this.cacheDir, { recursive: true, mode: 0o700 });
    const tmp = join(this.cacheDir, `.${randomBytes(8).toString('hex')}.tmp`);
    const hash = createHash('sha256');
    const hashing = new Transform({ transform: (chunk: Buffer, _e, done) => done(null, (hash.update(chunk), chunk)) });
    try {
      await pipeline(this.blobs.openRead(sha256), hashing, createWriteStream(tmp, { mode: 0o400 }), { signal });
      if (hash.digest('hex') !== sha256) throw new DataLossError(`blob ${sha256} does not match its hash`);
      await rename(tmp, path);
    } finally {
      await rm(tmp, { force: true });
    }
    await this.evict();
    return path;
  }

  /** Oldest first, until the cache fits its bound; blobs in use stay. */
  private async evict(): Promise<void> {
    if (this.maxBytes === undefined) return;
    const used = new Set([...this.inUse(), ...this.downloads.keys()]);
    const files = await Promise.all(
      (await readdir(this.cacheDir)).filter((n) => !n.startsWith('.')).map(async (name) => ({ name, ...(await stat(join(this.cacheDir, name))) })),
    );
    let total = files.reduce((n, f) => n + f.size, 0);
    for (const f of files.sort((a, b) => a.mtimeMs - b.mtimeMs)) {
      if (total <= this.maxBytes) break;
      if (used.has(f.name)) continue;
      await rm(join(this.cacheDir, f.name), { force: true });
      total -= f.size;
    }
  }
}

interface Download {
  readonly file: Promise<string>;
  readonly abort: AbortController;
  /** Requests still waiting; the download is cancelled only when every one of them is. */
  waiters: number;
  /** Drops the entry, so the next request starts a download of its own. */
  readonly forget: () => void;
}

/** The shared download's file, or this request's cancellation (the last one cancels the download). */
function waitFor(download: Download, signal: AbortSignal | undefined): Promise<string> {
  if (signal?.aborted) return Promise.reject(new CancelledError('cancelled'));
  download.waiters++;
  return new Promise<string>((resolve, reject) => {
    const cancelled = () => {
      if (--download.waiters === 0) {
        download.forget();
        download.abort.abort();
      }
      reject(new CancelledError('cancelled'));
    };
    signal?.addEventListener('abort', cancelled, { once: true });
    download.file.then(
      (path) => {
        signal?.removeEventListener('abort', cancelled);
        resolve(path);
      },
      (err: unknown) => {
        signal?.removeEventListener('abort', cancelled);
        reject(err);
      },
    );
  });
}

async function formatOf(path: string): Promise<BaseFile['format']> {
  const fh = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(4), 0, 4, 0);
    return bytesRead === 4 && isQcow2(buffer) ? 'qcow2' : 'raw';
  } finally {
    await fh.close();
  }
}
