/**
 * Content-addressed storage for image bytes. A blob is named by the SHA-256 of its content and is
 * visible only once complete: bytes stream into a writer, and `commit` makes them appear under
 * their hash in one atomic step. The interface is small so that an S3 store can satisfy it too.
 *
 *   const w = await blobs.begin();
 *   try {
 *     for await (const chunk of source) await w.write(chunk);
 *     const { sha256, size } = await w.commit();
 *   } catch (err) {
 *     await w.abort(); // nothing stays behind
 *     throw err;
 *   }
 *
 * Blobs carry no reference count: the metadata store decides when the last image that uses a blob
 * is gone and then calls `delete`.
 */
import type { Readable } from 'node:stream';

export interface CommittedBlob {
  /** Lower-case hex SHA-256 of the content. */
  sha256: string;
  /** Bytes stored. */
  size: number;
}

/** One blob being written. Calls must not overlap: await each `write` before the next call. */
export interface BlobWriter {
  /** Bytes accepted so far. */
  readonly size: number;
  /** Appends a chunk. A full disk throws ResourceExhaustedError; the writer must then be aborted. */
  write(chunk: Uint8Array): Promise<void>;
  /** Makes the blob durable and visible under its hash. If it already exists, the copy is dropped. */
  commit(): Promise<CommittedBlob>;
  /** Throws away what was written. Safe to call more than once, and a no-op after `commit`. */
  abort(): Promise<void>;
}

export interface BlobStore {
  begin(): Promise<BlobWriter>;
  has(sha256: string): Promise<boolean>;
  /** Size in bytes; NotFoundError when the blob does not exist. */
  size(sha256: string): Promise<number>;
  /** Removes a blob; removing one that does not exist is not an error. */
  delete(sha256: string): Promise<void>;
  /** Hashes of all committed blobs, in no particular order. */
  list(): AsyncIterable<string>;
  /** How many committed blobs there are and their bytes (for metrics), without reading each apart. */
  usage(): Promise<{ count: number; bytes: number }>;
  /**
   * A local file holding the blob's bytes, which readers such as QEMU may open read-only (a
   * directory store), or null when the bytes are remote (object storage: read `openRead`).
   */
  localPath(sha256: string): string | null;
  /** The blob's bytes; a missing blob makes the stream fail with NotFoundError. */
  openRead(sha256: string): Readable;
  /**
   * Bytes writers may still put where this store keeps in-flight data (the local file system of
   * a directory store); Infinity when the store has no such bound (object storage).
   */
  freeBytes(): Promise<number>;
  /** Removes temp data left by writers of an earlier process (call at start-up); returns how many. */
  sweepTemp(): Promise<number>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function isSha256(value: string): boolean {
  return SHA256_HEX.test(value);
}
