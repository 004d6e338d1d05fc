/**
 * Puts a committed blob of one directory store into another as cheaply as it can: a hard link
 * (blobs are immutable, content-addressed files, so two names for one file are safe and cost no
 * space), or a streamed, hash-checked copy across file systems. For `clouddesk backup`.
 *
 *   const present = await linkBlob(live, backup, sha);   // false: the source no longer has it
 */
import { link, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DiskBlobStore } from './disk-blob-store.js';
import { copyBlob } from './copy-blobs.js';
import { errCode } from './disk-io.js';

export async function linkBlob(from: DiskBlobStore, to: DiskBlobStore, sha256: string): Promise<boolean> {
  if (await to.has(sha256)) return true;
  const target = to.pathOf(sha256);
  await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  try {
    await link(from.pathOf(sha256), target);
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
