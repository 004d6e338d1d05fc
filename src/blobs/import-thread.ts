/**
 * A URL import into a directory store with the byte path on a worker thread (import-worker.ts):
 * the HTTP exchange, the format checks, the SHA-256 and the writes into the blob's temp file run
 * there, so the main thread, which serves RPCs, never sees the 64 KiB socket buffers and the full
 * garbage collections they drive (a third of its time per GiB when it did the download itself).
 * The main thread keeps what is shared or final: the transfer guard (deadline, minimum rate, disk
 * floor), cancellation, and the commit (fsync, rename, directory fsync) under the hash the worker
 * computed. Errors come back with their class and message (thread-errors.ts).
 *
 *   const image = await importInThread(blobs, url, { ...limits, rules, signal: guard.signal }, guard);
 */
import { Worker } from 'node:worker_threads';
import type { ImportedImage } from '../domain/blobs/image-importer.js';
import { loggers } from '../logger.js';
import type { DiskBlobStore } from './disk-blob-store.js';
import { cancelled } from './download-errors.js';
import type { FetchRules } from './fetch-policy.js';
import { errorFromWire, type WireError } from './thread-errors.js';
import type { TransferGuard } from './transfer-guard.js';

/** One import, as the worker is given it. */
export interface ImportJob {
  url: string;
  /** The temp file of the blob writer; the worker opens it itself and closes it before it answers. */
  tempPath: string;
  stallTimeoutMs: number;
  rules: FetchRules;
  maxBytes: number;
  maxVirtualSize: bigint;
  /** One BigInt64 slot: body bytes received so far, for the guard's rate check. */
  received: SharedArrayBuffer;
}

/** Main thread → worker. An abort stops the job; its reason (cancel, a limit of the guard) stays on the main thread, which answers with it. */
export type ToWorker = { start: ImportJob; id: number; logLevel: string } | { abort: true; id: number };

/** Worker → main thread: the one answer to a job, sent after the worker has closed its file. */
export type FromWorker = { id: number } & ({ result: ImportedImage } | { error: WireError });

export interface ThreadImportOptions {
  maxBytes: number;
  maxVirtualSize: bigint;
  stallTimeoutMs: number;
  rules: FetchRules;
  /** The guard's signal: its abort stops the job. */
  signal: AbortSignal;
}

export async function importInThread(
  blobs: DiskBlobStore,
  url: URL,
  opts: ThreadImportOptions,
  guard: TransferGuard,
): Promise<ImportedImage> {
  const writer = await blobs.begin();
  try {
    const received = new SharedArrayBuffer(8);
    const counter = new BigInt64Array(received);
    guard.countFrom(() => Number(Atomics.load(counter, 0)));
    const job: ImportJob = {
      url: url.href, tempPath: writer.tempPath, stallTimeoutMs: opts.stallTimeoutMs, rules: opts.rules,
      maxBytes: opts.maxBytes, maxVirtualSize: opts.maxVirtualSize, received,
    };
    const image = await (thread ??= new ImportThread()).run(job, opts.signal);
    if (opts.signal.aborted) throw cancelled();
    writer.adopt(image);
    await writer.commit();
    return image;
  } catch (err) {
    // A failed abort leaves only a temp file, which sweepTemp removes at the next start.
    await writer.abort().catch(() => undefined);
    throw err;
  }
}

/**
 * A thread costs some 15 MiB of RSS and about 0.1 s to start (its modules load again), so one
 * runs the imports of the whole process (all of them ran on the main thread before) and ends
 * when it has been idle this long.
 */
const IDLE_MS = 30_000;

let thread: ImportThread | undefined;

/** The worker and the jobs it is running; a job settles only after the worker has answered it. */
class ImportThread {
  private readonly worker = new Worker(new URL('./import-worker.js', import.meta.url));
  private readonly jobs = new Map<number, { resolve: (image: ImportedImage) => void; reject: (err: unknown) => void }>();
  private nextId = 1;
  private idle: NodeJS.Timeout | undefined;

  constructor() {
    this.worker.unref(); // held only while it runs jobs (run, answer)
    this.worker.on('message', (m: FromWorker) => this.answer(m));
    let crash: unknown;
    this.worker.on('error', (err) => (crash ??= err)); // uncaught in the worker; 'exit' follows
    this.worker.on('exit', (code) => {
      if (thread === this) thread = undefined;
      clearTimeout(this.idle);
      const err = crash ?? new Error(`import worker exited with code ${code}`);
      for (const job of this.jobs.values()) job.reject(err);
      this.jobs.clear();
    });
  }

  run(job: ImportJob, signal: AbortSignal): Promise<ImportedImage> {
    const id = this.nextId++;
    clearTimeout(this.idle);
    this.worker.ref();
    const onAbort = () => this.post({ abort: true, id });
    return new Promise<ImportedImage>((resolve, reject) => {
      this.jobs.set(id, { resolve, reject });
      this.post({ start: job, id, logLevel: loggers.blobs.level });
      signal.addEventListener('abort', onAbort, { once: true });
      if (signal.aborted) onAbort();
    }).finally(() => signal.removeEventListener('abort', onAbort));
  }

  private post(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private answer(m: FromWorker): void {
    const job = this.jobs.get(m.id);
    if (!job) return;
    this.jobs.delete(m.id);
    if ('result' in m) job.resolve(m.result);
    else job.reject(errorFromWire(m.error));
    if (this.jobs.size > 0) return;
    this.worker.unref();
    this.idle = setTimeout(() => {
      if (thread === this) thread = undefined; // the next import starts a new thread
      void this.worker.terminate();
    }, IDLE_MS);
    this.idle.unref();
  }
}
