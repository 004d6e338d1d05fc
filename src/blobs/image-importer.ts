/**
 * The ImageImporter port over this package's streaming import: http(s) URLs for Compute image
 * imports, local files for the system images seeded at start-up.
 *
 *   const importer = new StreamingImageImporter(blobs, config.importer);
 *   const image = await importer.fromUrl(uri, signal);
 */
import { createReadStream } from 'node:fs';
import type { BlobStore } from '../domain/blobs/blob-store.js';
import type { ImageImporter, ImportedImage } from '../domain/blobs/image-importer.js';
import { importFromUrl, importStream } from './import-url.js';

export interface ImportLimits {
  /** Largest file accepted, in bytes. */
  readonly maxBytes: number;
  /** Largest virtual disk size accepted, in bytes. */
  readonly maxVirtualSize: bigint;
  /** Longest wait for the next bytes from a URL. */
  readonly stallTimeoutMs: number;
}

export class StreamingImageImporter implements ImageImporter {
  constructor(private readonly blobs: BlobStore, private readonly limits: ImportLimits) {}

  fromUrl(url: string, signal: AbortSignal): Promise<ImportedImage> {
    return importFromUrl(this.blobs, url, { ...this.limits, signal });
  }

  fromFile(path: string): Promise<ImportedImage> {
    return importStream(this.blobs, createReadStream(path), this.limits);
  }
}
