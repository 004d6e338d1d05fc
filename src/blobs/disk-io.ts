/**
 * File-system helpers for DiskBlobStore: typed errors for fs failures and a directory fsync.
 *
 *   await writeFile(path, data).catch(rethrowFs); // ENOSPC → ResourceExhaustedError
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { ApiError, InternalError, ResourceExhaustedError, UnavailableError } from '../domain/errors.js';

/** Maps a file-system error to a typed one; a full disk is the case users can act on. */
export function fsError(err: unknown): Error {
  if (err instanceof ApiError) return err;
  switch (errCode(err)) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new ResourceExhaustedError("no space left on the blob store's disk", { cause: err });
    case 'EROFS':
      return new UnavailableError("the blob store's disk is read-only", { cause: err });
    default:
      return new InternalError(`blob store I/O error (${errCode(err) ?? 'unknown'})`, { cause: err });
  }
}

export function rethrowFs(err: unknown): never {
  throw fsError(err);
}

export function errCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export async function statOrUndefined(path: string) {
  try {
    return await stat(path);
  } catch (err) {
    if (errCode(err) === 'ENOENT') return undefined;
    throw fsError(err);
  }
}

/** Makes a rename durable. Some platforms cannot open or fsync a directory; there it is skipped. */
export async function fsyncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (err) {
    if (!['EISDIR', 'EINVAL', 'EPERM', 'EBADF'].includes(errCode(err) ?? '')) throw err;
  } finally {
    await fh?.close();
  }
}
