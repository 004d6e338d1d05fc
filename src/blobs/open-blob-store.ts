/**
 * Chooses the blob store from the configuration, the one place that knows the kinds:
 *
 *   unset                        DiskBlobStore at <data-dir>/blobs
 *   /abs/path (or file:///…)     DiskBlobStore there; may be shared by several processes (NFS)
 *   s3://bucket/prefix           S3BlobStore (with --s3-endpoint: an S3-compatible server)
 *
 *   const blobs = await openBlobStore(config, { holdsDataDirLock: dirLock !== undefined });
 */
import { join } from 'node:path';
import type { BlobStore } from '../domain/blobs/blob-store.js';
import { DiskBlobStore } from './disk-blob-store.js';

export interface BlobStoreConfig {
  readonly dataDir: string;
  /** Normalised by the config parser: an absolute path or `s3://bucket[/prefix]`. */
  readonly blobStore?: string;
  readonly s3?: { readonly endpoint?: string; readonly region: string };
  /** The largest image decides the S3 part size (S3 allows 10 000 parts). */
  readonly importer?: { readonly maxBytes: number };
}

/**
 * `holdsDataDirLock`: this process holds the data dir's lock (data-dir-lock.ts), so the data
 * dir's own blob directory is its alone and every temp file there that no writer holds is
 * abandoned.
 */
export async function openBlobStore(config: BlobStoreConfig, opts: { holdsDataDirLock: boolean }): Promise<BlobStore> {
  const where = config.blobStore;
  if (where?.startsWith('s3://')) {
    // Loaded only for s3:// (the AWS SDK is ~21 MiB of RSS the default never uses).
    const { partSizeFor, S3BlobStore } = await import('./s3-blob-store.js');
    const [bucket = '', ...prefix] = where.slice('s3://'.length).split('/');
    return new S3BlobStore({
      bucket, prefix: prefix.join('/'), region: config.s3?.region ?? 'ru-central1', endpoint: config.s3?.endpoint,
      partSize: config.importer ? partSizeFor(config.importer.maxBytes) : undefined,
    });
  }
  return DiskBlobStore.open(where ?? join(config.dataDir, 'blobs'), { exclusive: !where && opts.holdsDataDirLock });
}
