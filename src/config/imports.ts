/**
 * The image import part of the configuration (docs/security.md): which URLs may be fetched, the
 * limits of each transfer, and how imports queue. Read from the same raw flag / variable values
 * as the rest of the configuration.
 *
 *   const importer = loadImports(raw);   // importer.rules.allowedPorts → [80, 443]
 */
import { optionReader, type RawConfig } from './options.js';
import type { FetchRules } from '../blobs/fetch-policy.js';
import type { TransferLimits } from '../blobs/transfer-guard.js';

export interface ImportConfig {
  /** false: Create with a uri is refused (FAILED_PRECONDITION). */
  readonly urlsEnabled: boolean;
  readonly stallTimeoutMs: number;
  readonly maxBytes: number;
  readonly maxVirtualSize: bigint;
  /** Imports downloading at the same time, in all and per folder. */
  readonly concurrency: number;
  readonly folderConcurrency: number;
  /** Imports that may wait for a slot beyond `concurrency`. */
  readonly queueMax: number;
  readonly rules: FetchRules;
  readonly transfer: TransferLimits;
}

export function loadImports(raw: RawConfig): ImportConfig {
  const get = optionReader(raw);
  return Object.freeze({
    urlsEnabled: get('importUrls'),
    stallTimeoutMs: get('importTimeoutMs'),
    maxBytes: get('importMaxBytes'),
    maxVirtualSize: get('maxVirtualSize'),
    concurrency: get('importConcurrency'),
    folderConcurrency: get('importFolderConcurrency'),
    queueMax: get('importQueueMax'),
    rules: Object.freeze({
      allowedSchemes: get('importAllowedSchemes'),
      deniedSchemes: get('importDeniedSchemes'),
      allowedHosts: get('importAllowedHosts'),
      deniedHosts: get('importDeniedHosts'),
      allowedPorts: get('importAllowedPorts'),
      deniedPorts: get('importDeniedPorts'),
      allowPrivate: get('importAllowPrivate'),
    }),
    transfer: Object.freeze({
      deadlineMs: get('importDeadlineMs'),
      minBytesPerSecond: get('importMinRate'),
      rateWindowMs: get('importRateWindowMs'),
      minFreeBytes: get('importMinFree') ?? 0,
    }),
  });
}
