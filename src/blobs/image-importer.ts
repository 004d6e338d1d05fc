/**
 * The ImageImporter port over this package's streaming import: http(s) URLs for Compute image
 * imports (through the fetch policy and the transfer limits), local files for the system images
 * seeded at start-up.
 *
 *   const importer = new StreamingImageImporter(blobs, config.importer);
 *   const image = await importer.fromUrl(uri, signal);
 */
import { createReadStream } from 'node:fs';
import type { BlobStore } from '../domain/blobs/blob-store.js';
import type { ImageImporter, ImportedImage } from '../domain/blobs/image-importer.js';
import { importFromUrl, importStream } from './import-url.js';
import { FetchPolicy, type FetchRules } from './fetch-policy.js';
import type { TransferLimits } from './transfer-guard.js';

export interface ImportLimits {
  /** Largest file accepted, in bytes. */
  readonly maxBytes: number;
  /** Largest virtual disk size accepted, in bytes. */
  readonly maxVirtualSize: bigint;
  /** Longest wait for the next bytes from a URL. */
  readonly stallTimeoutMs: number;
  readonly rules: FetchRules;
  readonly transfer: TransferLimits;
}

export class StreamingImageImporter implements ImageImporter {
  private readonly policy: FetchPolicy;

  constructor(private readonly blobs: BlobStore, private readonly limits: ImportLimits) {
    this.policy = new FetchPolicy(limits.rules);
  }

  fromUrl(url: string, signal: AbortSignal): Promise<ImportedImage> {
    return importFromUrl(this.blobs, url, {
      ...this.limits, policy: this.policy, signal, freeBytes: () => this.blobs.freeBytes(),
    });
  }

  fromFile(path: string): Promise<ImportedImage> {
    return importStream(this.blobs, createReadStream(path), this.limits);
  }
}
