/**
 * Moves blobs between blob stores and checks them, for `clouddesk migrate` and `restore`: bytes
 * stream from one store into the other (never a whole blob in memory), a blob the target has
 * already is skipped, and `verifyBlobs` reads each one back through SHA-256, since a blob's
 * name is the hash of its content.
 *
 *   await copyBlobs(from, to, shas);                   // { copied, skipped }
 *   const bad = await verifyBlobs(to, shas);           // [] when every blob is whole
 *   const present = await linkBlob(live, backup, sha);  // false: the source no longer has it
 */
import { createHash } from 'node:crypto';
import { link, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BlobStore } from '../domain/blobs/blob-store.js';
import { InternalError, NotFoundError } from '../domain/errors.js';
import type { DiskBlobStore } from './disk-blob-store.js';
import { errCode } from './disk-io.js';

export interface CopyResult {
  copied: number;
  skipped: number;
}

export interface BadBlob {
  sha256: string;
  problem: 'missing' | 'wrong content';
}

/** Streams one blob from `from` into `to` and checks the hash the target computed. */
export async function copyBlob(from: BlobStore, to: BlobStore, sha256: string): Promise<void> {
  const w = await to.begin();
  try {
    for await (const chunk of from.openRead(sha256)) await w.write(chunk as Uint8Array);
    const { sha256: got } = await w.commit();
    if (got !== sha256) throw new InternalError(`blob ${sha256} read back as ${got}: the source is damaged`);
  } catch (err) {
    await w.abort();
    throw err;
  }
}

export async function copyBlobs(from: BlobStore, to: BlobStore, shas: Iterable<string>, onBlob?: (sha256: string) => void): Promise<CopyResult> {
  const out: CopyResult = { copied: 0, skipped: 0 };
  for (const sha of shas) {
    if (await to.has(sha)) {
      out.skipped++;
    } else {
      await copyBlob(from, to, sha);
      out.copied++;
    }
    onBlob?.(sha);
  }
  return out;
}

/** SHA-256 of a stored blob, read as a stream; undefined when it is missing. */
export async function hashBlob(store: BlobStore, sha256: string): Promise<string | undefined> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of store.openRead(sha256)) hash.update(chunk as Uint8Array);
  } catch (err) {
    if (err instanceof NotFoundError) return undefined; // openRead's stream fails so for a missing blob
    throw err;
  }
  return hash.digest('hex');
}

/** The blobs of `shas` that `store` lacks or holds with other content. */
export async function verifyBlobs(store: BlobStore, shas: Iterable<string>): Promise<BadBlob[]> {
  const bad: BadBlob[] = [];
  for (const sha256 of shas) {
    const got = await hashBlob(store, sha256);
    if (got === undefined) bad.push({ sha256, problem: 'missing' });
    else if (got !== sha256) bad.push({ sha256, problem: 'wrong content' });
  }
  return bad;
}

/**
 * Puts a committed blob of one directory store into another as cheaply as it can, for backups:
 * a hard link (blobs are immutable, so two names for one file are safe and cost no space), or a
 * streamed, hash-checked copy across file systems. False when the source does not have it.
 */
export async function linkBlob(from: DiskBlobStore, to: DiskBlobStore, sha256: string): Promise<boolean> {
  if (await to.has(sha256)) return true;
  const target = to.localPath(sha256);
  await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  try {
    await link(from.localPath(sha256), target);
    return true;
  } catch (err) {
    const code = errCode(err);
    if (code === 'ENOENT') return false;
    if (code === 'EEXIST') return true;
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK') throw err;
  }
  if (!(await from.has(sha256))) return false;
  await copyBlob(from, to, sha256);
  return true;
}
