/**
 * Chooses the blob store from the configuration: today the content-addressed directory
 * `<data-dir>/blobs`. Another implementation (S3) is one more branch here.
 *
 *   const blobs = await openBlobStore({ dataDir });
 */
import { join } from 'node:path';
import type { BlobStore } from '../domain/blobs/blob-store.js';
import { DiskBlobStore } from './disk-blob-store.js';

export interface BlobStoreConfig {
  readonly dataDir: string;
}

export async function openBlobStore(config: BlobStoreConfig): Promise<BlobStore> {
  return DiskBlobStore.open(join(config.dataDir, 'blobs'));
}
