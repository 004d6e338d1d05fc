/**
 * The worker thread of URL imports (started by import-thread.ts). For each job it fetches the URL
 * through the fetch policy, checks the size limit and the format as the bytes pass, and writes
 * and hashes them into the blob's temp file, flushing as it goes. The same functions as an import
 * on the main thread do each step (openHttpSource, writeChecked, TempFileSink), so the checks and
 * the error messages are the same. It answers each job once, after it has closed the file.
 */
import { open } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import type { ImportedImage } from '../domain/blobs/image-importer.js';
import { flushLogs, setLogLevel } from '../logger.js';
import { rethrowFs } from './disk-io.js';
import { tooLarge } from './download-errors.js';
import { FetchPolicy } from './fetch-policy.js';
import { openHttpSource, type HttpSource } from './http-source.js';
import type { FromWorker, ImportJob, ToWorker } from './import-thread.js';
import { writeChecked } from './import-url.js';
import { TempFileSink } from './temp-file-sink.js';
import { errorToWire } from './thread-errors.js';

const port = parentPort!;
const running = new Map<number, AbortController>();

port.on('message', (m: ToWorker) => {
  if ('abort' in m) {
    running.get(m.id)?.abort(); // the main thread answers with its own reason (import-url.ts)
    return;
  }
  setLogLevel(m.logLevel);
  const controller = new AbortController();
  running.set(m.id, controller);
  void run(m.start, controller.signal)
    .then((result): FromWorker => ({ id: m.id, result }), (err: unknown): FromWorker => ({ id: m.id, error: errorToWire(err) }))
    .then((answer) => {
      running.delete(m.id);
      flushLogs();
      port.postMessage(answer);
    });
});

async function run(job: ImportJob, signal: AbortSignal): Promise<ImportedImage> {
  const fh = await open(job.tempPath, 'r+').catch(rethrowFs);
  // The chunks are the socket's own buffers, never reused, so the sink may hold them.
  const sink = new TempFileSink(fh, { gather: true });
  let source: HttpSource | undefined;
  try {
    source = await openHttpSource(new URL(job.url), { stallTimeoutMs: job.stallTimeoutMs, policy: new FetchPolicy(job.rules), signal });
    if (source.contentLength !== undefined && source.contentLength > job.maxBytes) throw tooLarge(job.maxBytes);
    const info = await writeChecked(counted(source.body, new BigInt64Array(job.received), signal), sink, job);
    const written = await sink.finish();
    return { ...written, format: info.format, virtualSize: info.virtualSize };
  } finally {
    source?.close();
    await sink.settle();
    await fh.close().catch(() => undefined);
  }
}

/** Passes the body through, publishing the running byte count for the guard on the main thread. */
async function* counted(body: AsyncIterable<Uint8Array>, received: BigInt64Array, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) {
    signal.throwIfAborted();
    Atomics.add(received, 0, BigInt(chunk.length));
    yield chunk;
  }
}
