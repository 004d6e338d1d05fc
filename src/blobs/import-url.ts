/**
 * Imports an image from an http(s) URL into the blob store: the body streams through the hash
 * into a temp file (never whole in memory), its format and virtual size are read on the way, and
 * only a complete, valid image is committed. Any failure leaves no blob and no temp file.
 *
 *   const image = await importFromUrl(blobs, request.uri, {
 *     maxBytes: 64 * 2 ** 30, maxVirtualSize: DEFAULT_MAX_VIRTUAL_SIZE, stallTimeoutMs: 30_000,
 *     policy, transfer, freeBytes, signal,
 *   });
 *   // image.size → storage_size, image.virtualSize → min_disk_size, image.sha256 → the blob
 */
import { ApiError, CancelledError, InternalError, InvalidArgumentError } from '../domain/errors.js';
import { cancelled, tooLarge } from './download-errors.js';
import type { BlobStore, BlobWriter } from '../domain/blobs/blob-store.js';
import type { ImportedImage } from '../domain/blobs/image-importer.js';
import { ImageInspector, type ImageInfo } from './formats/inspect.js';
import { DiskBlobStore } from './disk-blob-store.js';
import { importInThread } from './import-thread.js';
import { openHttpSource, type HttpSource } from './http-source.js';
import type { FetchPolicy } from './fetch-policy.js';
import { TransferGuard, type TransferLimits } from './transfer-guard.js';

/** 4 TiB: the largest min_disk_size Compute accepts; far larger also breaks int64 in JS clients. */
export const DEFAULT_MAX_VIRTUAL_SIZE = 4n << 40n;

export interface ImportOptions {
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** Largest virtual disk size accepted, in bytes. */
  maxVirtualSize: bigint;
  /** Longest wait for the next bytes from the source. */
  stallTimeoutMs: number;
  /** Which sources may be fetched (every redirect hop included). */
  policy: FetchPolicy;
  transfer: TransferLimits;
  /** Free bytes where blobs are written. */
  freeBytes: () => Promise<number>;
  signal?: AbortSignal;
}


export async function importFromUrl(blobs: BlobStore, url: string, opts: ImportOptions): Promise<ImportedImage> {
  const target = parseSourceUrl(url);
  let source: HttpSource | undefined;
  const guard = new TransferGuard(opts.transfer, { signal: opts.signal, freeBytes: opts.freeBytes });
  const signal = guard.signal;
  try {
    if (opts.signal?.aborted) throw cancelled();
    await guard.checkSpace();
    // A directory store takes the download on a worker thread: the socket buffers, the hash and
    // the writes stay off the thread that serves RPCs (import-thread.ts).
    const rules = opts.policy.portableRules();
    if (blobs instanceof DiskBlobStore && rules) return await importInThread(blobs, target, { ...opts, rules, signal }, guard);
    source = await openHttpSource(target, { stallTimeoutMs: opts.stallTimeoutMs, policy: opts.policy, signal });
    if (source.contentLength !== undefined && source.contentLength > opts.maxBytes) throw tooLarge(opts.maxBytes);
    return await importStream(blobs, guard.count(source.body), { ...opts, signal });
  } catch (err) {
    if (opts.signal?.aborted) throw err instanceof CancelledError ? err : cancelled();
    // A limit of the guard (deadline, rate, disk) is the reason, whatever the stream threw.
    if (signal.aborted && signal.reason instanceof ApiError) throw signal.reason;
    throw err instanceof ApiError ? err : new InternalError('uri: image import failed', { cause: err });
  } finally {
    guard.dispose();
    source?.close();
  }
}

/**
 * Streams any byte source into the blob store, checking size and format on the way; commits
 * only a complete, valid image. Shared by URL imports and the system images seeded from files.
 */
export async function importStream(
  blobs: BlobStore,
  body: AsyncIterable<Uint8Array>,
  opts: Pick<ImportOptions, 'maxBytes' | 'maxVirtualSize' | 'signal'>,
): Promise<ImportedImage> {
  let writer: BlobWriter | undefined;
  try {
    writer = await blobs.begin();
    const { size, format, virtualSize } = await writeChecked(body, writer, opts);
    if (opts.signal?.aborted) throw cancelled();
    const { sha256 } = await writer.commit();
    return { sha256, size, format, virtualSize };
  } catch (err) {
    // A failed abort leaves only a temp file, which sweepTemp removes at the next start.
    await writer?.abort().catch(() => undefined);
    throw err;
  }
}

/** Passes `body` to `sink` chunk by chunk, checking the size limit and reading the format on the way. */
export async function writeChecked(
  body: AsyncIterable<Uint8Array>,
  sink: { write(chunk: Uint8Array): Promise<void> },
  opts: Pick<ImportOptions, 'maxBytes' | 'maxVirtualSize'>,
): Promise<{ size: number } & ImageInfo> {
  const inspector = new ImageInspector(opts.maxVirtualSize);
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > opts.maxBytes) throw tooLarge(opts.maxBytes);
    inspector.feed(chunk);
    await sink.write(chunk);
  }
  return { size, ...inspector.finish(size) };
}

/** The source must be an absolute http: or https: URL without userinfo. */
export function parseSourceUrl(url: string): URL {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed?.protocol !== 'http:' && parsed?.protocol !== 'https:') {
    throw InvalidArgumentError.field('uri', 'must be an http or https URL');
  }
  if (parsed.username || parsed.password) {
    throw InvalidArgumentError.field('uri', 'must not contain user:password@; use a pre-signed URL');
  }
  return parsed;
}
