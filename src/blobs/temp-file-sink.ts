/**
 * The byte half of a disk blob writer: appends chunks to an open temp file, hashes them, and
 * flushes what is written in the background every 64 MiB. It knows nothing of names, commits or
 * threads, so the same code serves DiskBlobWriter on the main thread and an import's worker
 * thread, which writes into the temp file a DiskBlobWriter created (import-thread.ts).
 *
 *   const sink = new TempFileSink(fh);
 *   for await (const chunk of body) await sink.write(chunk);
 *   const { sha256, size } = await sink.finish(); // every byte written; the commit fsyncs
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

/** Bytes a gathering sink holds, beside the write in flight, before `write` waits for it. */
const GATHER_BYTES = 1024 * 1024;

export interface TempFileSinkOptions {
  /**
   * Return from `write` before the chunk is on its way to the file, keeping a reference to it:
   * chunks that arrive while a write is in flight are gathered into the next (one writev), and
   * the hash runs while the disk is busy. Only for callers that never reuse a chunk's memory.
   */
  gather?: boolean;
}

export class TempFileSink {
  private readonly hash = createHash('sha256');
  /** Bytes hashed and accepted; `written` of them have reached the file. */
  private bytes = 0;
  private written = 0;
  private unflushed = 0;
  private gathered: Uint8Array[] = [];
  private gatheredBytes = 0;
  /** The write in flight of a gathering sink; it never rejects (see writeGathered). */
  private writing: Promise<void> | undefined;
  private writeError: unknown;
  /** The background fdatasync in progress, if any; it never rejects (see flushSoFar). */
  private flushing: Promise<void> | undefined;
  private flushError: unknown;

  constructor(private readonly fh: FileHandle, private readonly opts: TempFileSinkOptions = {}) {}

  get size(): number {
    return this.bytes;
  }

  /** Appends a chunk; a file-system failure is thrown as a typed error (ENOSPC → ResourceExhaustedError). */
  async write(chunk: Uint8Array): Promise<void> {
    if (!this.opts.gather) {
      await this.writeAt(chunk, this.written);
      this.written += chunk.length;
      this.hash.update(chunk);
      this.bytes += chunk.length;
      this.wrote(chunk.length);
      return;
    }
    if (this.writeError !== undefined) throw fsError(this.writeError);
    this.gathered.push(chunk);
    this.gatheredBytes += chunk.length;
    this.bytes += chunk.length;
    if (!this.writing) this.writing = this.writeGathered();
    this.hash.update(chunk); // while the write is in flight
    if (this.gatheredBytes >= GATHER_BYTES) await this.writing;
    if (this.writeError !== undefined) throw fsError(this.writeError);
  }

  /** Writes what was gathered, and again while more arrived meanwhile; a failure is kept for `write` and `finish`. */
  private async writeGathered(): Promise<void> {
    try {
      while (this.gathered.length > 0 && this.writeError === undefined) {
        const batch = this.gathered;
        const size = this.gatheredBytes;
        this.gathered = [];
        this.gatheredBytes = 0;
        if (batch.length === 1) await this.writeAt(batch[0]!, this.written);
        else await this.writevAt(batch, size, this.written);
        this.written += size;
        this.wrote(size);
      }
    } catch (err) {
      this.writeError ??= err;
    } finally {
      this.writing = undefined;
    }
  }

  // Positioned writes: the file may have been opened without O_APPEND by another thread.
  private async writeAt(chunk: Uint8Array, position: number): Promise<void> {
    try {
      for (let off = 0; off < chunk.length; ) {
        off += (await this.fh.write(chunk, off, chunk.length - off, position + off)).bytesWritten;
      }
    } catch (err) {
      throw fsError(err);
    }
  }

  private async writevAt(chunks: Uint8Array[], size: number, position: number): Promise<void> {
    let done: number;
    try {
      done = (await this.fh.writev(chunks, position)).bytesWritten;
    } catch (err) {
      throw fsError(err);
    }
    if (done === size) return;
    // A short writev (rare: a signal, a nearly full disk): the rest one chunk at a time.
    let skip = done;
    for (const c of chunks) {
      if (skip >= c.length) {
        skip -= c.length;
        continue;
      }
      await this.writeAt(c.subarray(skip), position + done);
      done += c.length - skip;
      skip = 0;
    }
  }

  private wrote(bytes: number): void {
    this.unflushed += bytes;
    if (this.unflushed >= FLUSH_EVERY_BYTES && !this.flushing) this.flushSoFar();
  }

  /**
   * Waits for the writes and the background flush and fails if any failed. Returns the hash of
   * everything written; the commit's fsync (DiskBlobWriter) puts the rest on disk.
   */
  async finish(): Promise<{ sha256: string; size: number }> {
    await this.writing;
    if (this.writeError !== undefined) throw fsError(this.writeError);
    await this.flushing;
    if (this.flushError !== undefined) throw fsError(this.flushError);
    return { sha256: this.hash.digest('hex'), size: this.bytes };
  }

  /** Resolves once no flush is running, so the file may be closed. */
  async settle(): Promise<void> {
    await this.writing;
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
