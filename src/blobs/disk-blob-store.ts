/**
 * BlobStore on a local directory:
 *
 *   <root>/sha256/ab/ab12…ef   committed blobs, sharded by the first two hex digits, read-only
 *   <root>/tmp/<host>~<pid namespace>-<pid>-<random>.tmp   blobs being written; never read, swept when stale
 *
 *   const blobs = await DiskBlobStore.open(join(dataDir, 'blobs'));
 *   await blobs.sweepTemp();
 *
 * A commit fsyncs the file, renames it into place and fsyncs the directory, so after a crash a
 * blob is either complete under its hash or absent (its temp file is swept). While a blob is
 * written, what has arrived is flushed in the background every 64 MiB (temp-file-sink.ts), so
 * the commit's fsync has little left to do.
 *
 * Several processes may share the directory (an NFS mount): blobs are content-addressed and
 * appear by atomic rename, so two writers of the same content both end with the one file; temp
 * names carry the host name, the pid namespace, the pid and 96 random bits and are created with O_EXCL. A sweep
 * cannot know whether another host's process is alive, so it removes only its own abandoned
 * temp files, those of processes of its own host and pid namespace that are gone (a replica killed and started
 * again), and files nobody has written to for `tempMaxAgeMs` (default 1 h): a live writer touches its file with every chunk,
 * and an import that sends nothing for the import timeout (seconds) is aborted anyway. The data
 * dir's own blob directory is this process's alone (the data-dir lock), so there (`exclusive`)
 * every temp file no open writer holds is abandoned: a kill -9 leaves none behind a restart.
 */
import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, statfs, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { InternalError, NotFoundError } from '../domain/errors.js';
import { isSha256, type BlobStore, type BlobWriter, type CommittedBlob } from '../domain/blobs/blob-store.js';
import { errCode, fsError, fsyncDir, rethrowFs, statOrUndefined } from './disk-io.js';
import { TempFileSink } from './temp-file-sink.js';

const READ_CHUNK = 64 * 1024;
const HOUR_MS = 3_600_000;

export interface DiskBlobStoreOptions {
  /** Temp files unchanged for this long are taken as abandoned by a dead writer (default 1 h). */
  tempMaxAgeMs?: number;
  /** No other process writes here (the data dir's own blobs): any temp file not open here is abandoned. */
  exclusive?: boolean;
}

/**
 * Where this process runs: the host name and, on Linux, its pid namespace, so that containers
 * sharing a host name (and a directory) but not their pids never read each other's pids.
 */
const HOST = hostname().replace(/[^A-Za-z0-9.-]/g, '_').slice(0, 64);
const PID_NAMESPACE = (() => {
  try {
    return /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1];
  } catch {
    return undefined; // not Linux: pids are not compared (see leftByDeadProcessHere)
  }
})();
const PLACE = PID_NAMESPACE ? `${HOST}~${PID_NAMESPACE}` : HOST;

/** How the temp files of process `pid` of this place start (the tests make such names). */
export function tempNamePrefix(pid: number): string {
  return `${PLACE}-${pid}-`;
}

/**
 * Starts the temp files of this process: place and pid tell a reader of a shared directory who
 * wrote one; the random part tells apart two processes that reuse a pid.
 */
const OWNER = `${tempNamePrefix(process.pid)}${randomBytes(4).toString('hex')}-`;

/**
 * A temp file of a process of this host and pid namespace that is gone (a kill -9, a crash):
 * nobody writes it any more. Its name says which process made it; `kill(pid, 0)` failing with
 * ESRCH says that process is gone. A live process (or a pid used again since) keeps its files.
 */
function leftByDeadProcessHere(name: string): boolean {
  if (!PID_NAMESPACE || !name.startsWith(`${PLACE}-`)) return false;
  const pid = Number(/^(\d+)-/.exec(name.slice(PLACE.length + 1))?.[1]);
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return errCode(err) === 'ESRCH';
  }
}

/** Temp files of writers still open in this process, whichever store opened them; `sweepTemp` leaves them alone. */
const ACTIVE = new Set<string>();

export class DiskBlobStore implements BlobStore {
  private readonly blobDir: string;
  private readonly tmpDir: string;

  private constructor(readonly root: string, private readonly tempMaxAgeMs: number, private readonly exclusive: boolean) {
    this.blobDir = join(root, 'sha256');
    this.tmpDir = join(root, 'tmp');
  }

  static async open(root: string, opts: DiskBlobStoreOptions = {}): Promise<DiskBlobStore> {
    const store = new DiskBlobStore(root, opts.tempMaxAgeMs ?? HOUR_MS, opts.exclusive ?? false);
    await mkdir(store.blobDir, { recursive: true, mode: 0o700 }).catch(rethrowFs);
    await mkdir(store.tmpDir, { recursive: true, mode: 0o700 }).catch(rethrowFs);
    return store;
  }

  /** Where a committed blob lives; rejects anything that is not a hash, so no path escapes. */
  localPath(sha256: string): string {
    if (!isSha256(sha256)) throw new InternalError(`invalid blob hash "${sha256}"`);
    return join(this.blobDir, sha256.slice(0, 2), sha256);
  }

  async begin(): Promise<DiskBlobWriter> {
    const name = `${OWNER}${randomBytes(12).toString('hex')}.tmp`;
    const path = join(this.tmpDir, name);
    const fh = await open(path, 'wx', 0o600).catch(rethrowFs);
    ACTIVE.add(path);
    return new DiskBlobWriter(this, fh, path, () => ACTIVE.delete(path));
  }

  async has(sha256: string): Promise<boolean> {
    return (await statOrUndefined(this.localPath(sha256)))?.isFile() ?? false;
  }

  async size(sha256: string): Promise<number> {
    const st = await statOrUndefined(this.localPath(sha256));
    if (!st?.isFile()) throw new NotFoundError(`Blob ${sha256} not found`);
    return st.size;
  }

  async delete(sha256: string): Promise<void> {
    await rm(this.localPath(sha256), { force: true }).catch(rethrowFs);
  }

  async *list(): AsyncIterable<string> {
    for (const shard of (await readdir(this.blobDir)).sort()) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      for (const name of (await readdir(join(this.blobDir, shard))).sort()) {
        if (isSha256(name) && name.startsWith(shard)) yield name;
      }
    }
  }

  async usage(): Promise<{ count: number; bytes: number }> {
    let count = 0;
    let bytes = 0;
    for await (const sha of this.list()) {
      const st = await statOrUndefined(this.localPath(sha)); // removed meanwhile: not counted
      if (!st) continue;
      count++;
      bytes += st.size;
    }
    return { count, bytes };
  }

  openRead(sha256: string): Readable {
    const path = this.localPath(sha256);
    async function* chunks(): AsyncGenerator<Uint8Array> {
      const fh = await open(path, 'r').catch((err: unknown) => {
        throw errCode(err) === 'ENOENT' ? new NotFoundError(`Blob ${sha256} not found`) : fsError(err);
      });
      try {
        for (;;) {
          // A fresh buffer per chunk: the consumer may keep the previous one.
          const { bytesRead, buffer } = await fh.read(Buffer.allocUnsafe(READ_CHUNK), 0, READ_CHUNK, null);
          if (bytesRead === 0) return;
          yield buffer.subarray(0, bytesRead);
        }
      } finally {
        await fh.close();
      }
    }
    return Readable.from(chunks(), { objectMode: false });
  }

  /** Free space of the file system that holds the temp directory, for an unprivileged writer. */
  async freeBytes(): Promise<number> {
    const s = await statfs(this.tmpDir).catch(rethrowFs);
    return s.bavail * s.bsize;
  }

  /**
   * Removes this process's abandoned temp files, those of processes of this host that are gone,
   * and anyone's left unchanged for `tempMaxAgeMs` (any, when exclusive).
   */
  async sweepTemp(): Promise<number> {
    const cutoff = Date.now() - this.tempMaxAgeMs;
    let removed = 0;
    for (const name of await readdir(this.tmpDir)) {
      const path = join(this.tmpDir, name);
      if (ACTIVE.has(path)) continue;
      if (!this.exclusive && !name.startsWith(OWNER) && !leftByDeadProcessHere(name)) {
        const st = await statOrUndefined(path);
        if (!st || st.mtimeMs > cutoff) continue;
      }
      await rm(path, { force: true, recursive: true }).catch(rethrowFs);
      removed++;
    }
    return removed;
  }
}

/**
 * A blob being written into its temp file: by this writer (`write`), or by another thread that
 * opened `tempPath` and hands over what it wrote (`adopt`, see import-thread.ts). Either way the
 * commit fsyncs, renames and fsyncs the directory on this thread.
 */
export class DiskBlobWriter implements BlobWriter {
  private readonly sink: TempFileSink;
  private state: 'open' | 'failed' | 'committed' | 'aborted' = 'open';
  private adopted: { sha256: string; size: number } | undefined;

  constructor(
    private readonly store: DiskBlobStore,
    private readonly fh: FileHandle,
    readonly tempPath: string,
    private readonly release: () => void,
  ) {
    this.sink = new TempFileSink(fh);
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.state !== 'open' || this.adopted) throw new InternalError(`blob writer is ${this.adopted ? 'adopted' : this.state}`);
    try {
      await this.sink.write(chunk);
    } catch (err) {
      this.state = 'failed';
      throw err;
    }
  }

  /**
   * Takes the temp file's content, written and flushed by another thread, as this blob: `size`
   * bytes whose SHA-256 is `sha256`. Only before any `write`; the writer must have stopped and
   * closed its own handle of the file.
   */
  adopt(written: { sha256: string; size: number }): void {
    if (this.state !== 'open' || this.sink.size > 0 || this.adopted) throw new InternalError('blob writer cannot adopt now');
    if (!isSha256(written.sha256)) throw new InternalError(`invalid blob hash "${written.sha256}"`);
    this.adopted = written;
  }

  get size(): number {
    return this.adopted?.size ?? this.sink.size;
  }

  async commit(): Promise<CommittedBlob> {
    if (this.state !== 'open') throw new InternalError(`blob writer is ${this.state}`);
    this.state = 'failed'; // until the rename below succeeds; abort() then cleans up
    let written: { sha256: string; size: number };
    try {
      written = this.adopted ?? (await this.sink.finish());
      const finalPath = this.store.localPath(written.sha256);
      const shardDir = join(finalPath, '..');
      await this.fh.chmod(0o400); // read-only, and for the owner only (docs/security.md)
      await this.fh.sync();
      await this.fh.close();
      const created = await mkdir(shardDir, { recursive: true, mode: 0o700 });
      if (await statOrUndefined(finalPath)) {
        await rm(this.tempPath, { force: true }); // same content already stored
      } else {
        await rename(this.tempPath, finalPath);
        await fsyncDir(shardDir);
        if (created !== undefined) await fsyncDir(join(shardDir, '..'));
      }
    } catch (err) {
      await this.abort();
      throw fsError(err);
    }
    this.state = 'committed';
    this.release();
    return { sha256: written.sha256, size: written.size };
  }

  async abort(): Promise<void> {
    if (this.state === 'committed' || this.state === 'aborted') return;
    this.state = 'aborted';
    await this.sink.settle();
    await this.fh.close().catch(() => undefined); // may already be closed by a failed commit
    this.release();
    await rm(this.tempPath, { force: true }).catch(rethrowFs); // if this fails, sweepTemp removes it later
  }
}
