/**
 * The byte half of a disk blob writer: appends chunks to an open temp file, hashes them, and
 * flushes what is written in the background every 64 MiB. It knows nothing of names, commits or
 * threads, so the same code serves DiskBlobWriter on the main thread and an import's worker
 * thread, which writes into the temp file a DiskBlobWriter created (import-thread.ts).
 *
 *   const sink = new TempFileSink(fh);
 *   for await (const chunk of body) await sink.write(chunk);
 *   const { sha256, size } = await sink.finish(); // every byte is on disk
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { fsError } from './disk-io.js';

/**
 * Written bytes after which the sink starts flushing them to disk while it goes on writing, so
 * the fsync of the commit finds little left to write (it would otherwise write a whole image
 * after the last byte arrived: seconds per GiB).
 */
const FLUSH_EVERY_BYTES = 64 * 1024 * 1024;

export class TempFileSink {
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private unflushed = 0;
  /** The background fdatasync in progress, if any; it never rejects (see flushSoFar). */
  private flushing: Promise<void> | undefined;
  private flushError: unknown;

  constructor(private readonly fh: FileHandle) {}

  get size(): number {
    return this.bytes;
  }

  /** Appends a chunk; a file-system failure is thrown as a typed error (ENOSPC → ResourceExhaustedError). */
  async write(chunk: Uint8Array): Promise<void> {
    try {
      // Positioned writes: the file may have been opened without O_APPEND by another thread.
      for (let off = 0; off < chunk.length; ) {
        off += (await this.fh.write(chunk, off, chunk.length - off, this.bytes + off)).bytesWritten;
      }
    } catch (err) {
      throw fsError(err);
    }
    this.hash.update(chunk);
    this.bytes += chunk.length;
    this.wrote(chunk.length);
  }

  private wrote(bytes: number): void {
    this.unflushed += bytes;
    if (this.unflushed >= FLUSH_EVERY_BYTES && !this.flushing) this.flushSoFar();
  }

  /**
   * Waits for the background flush and fails if any flush failed; with `sync`, also fdatasyncs
   * the rest. Returns the hash of everything written.
   */
  async finish(opts: { sync: boolean }): Promise<{ sha256: string; size: number }> {
    await this.flushing;
    if (this.flushError !== undefined) throw fsError(this.flushError);
    if (opts.sync) await this.fh.datasync().catch((err: unknown) => { throw fsError(err); });
    return { sha256: this.hash.digest('hex'), size: this.bytes };
  }

  /** Resolves once no flush is running, so the file may be closed. */
  async settle(): Promise<void> {
    await this.flushing;
  }

  /** Starts an fdatasync of what is written so far; its failure fails `finish`. */
  private flushSoFar(): void {
    this.unflushed = 0;
    this.flushing = this.fh.datasync().then(
      () => void (this.flushing = undefined),
      (err: unknown) => void ((this.flushError ??= err), (this.flushing = undefined)),
    );
  }
}
