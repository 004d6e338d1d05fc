/**
 * Desktop images: the part (storage, descriptor, service, response binding) and the module
 * (use cases, jobs, system images, handlers).
 */
import { definePart, type Module } from '../../module.js';
import type { Store } from '../../domain/store.js';
import type { Clock } from '../../clock.js';
import type { OperationRunner } from '../../domain/operation/runner.js';
import type { Pager } from '../../domain/listing/pager.js';
import type { BlobStore } from '../../domain/blobs/blob-store.js';
import type { BlobCollector } from '../../domain/blobs/collector.js';
import type { ImageImporter } from '../../domain/blobs/image-importer.js';
import type { DesktopRuntime } from '../desktop/domain/runtime.js';
import { registerService } from '../../api/service.js';
import type { OperationWire } from '../../api/operation-wire.js';
import { DESKTOP_IMAGE } from './domain/desktop-image.js';
import { DesktopImages } from './domain/desktop-images.js';
import { desktopImageJobs } from './domain/jobs.js';
import { DesktopImageQuota, type DesktopImageLimits } from './domain/quota.js';
import { seedSystemImages } from './domain/system-images.js';
import { desktopImageStorage } from './storage/table.js';
import { desktopImageResponse, desktopImageService } from './api/service.js';

export const desktopImagePart = definePart({
  name: 'desktop-image',
  storage: desktopImageStorage,
  descriptor: DESKTOP_IMAGE,
  service: desktopImageService,
  responses: [desktopImageResponse],
});

export interface DesktopImageDeps {
  store: Store;
  clock: Clock;
  runner: OperationRunner;
  pager: Pager;
  blobs: BlobStore;
  collector: BlobCollector;
  importer: ImageImporter;
  wire: OperationWire;
  systemFolderId: string;
  /** Image files seeded as system images at start-up. */
  systemImagesDir?: string;
  quota: DesktopImageLimits;
  /** Captures desktops' disks for CopyFromDesktop. */
  runtime: DesktopRuntime;
  /** Replicas seed one at a time (the others then find the names present). */
  exclusive: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
}

export function desktopImageModule(d: DesktopImageDeps): Module {
  const images = new DesktopImages(d.store, d.runner, d.pager, d.clock, d.blobs, d.systemFolderId, new DesktopImageQuota(d.quota, d.systemFolderId));
  const seed = async (): Promise<void> => {
    if (!d.systemImagesDir) return;
    const o = { dir: d.systemImagesDir, folderId: d.systemFolderId, store: d.store, importer: d.importer, collector: d.collector, clock: d.clock };
    await d.exclusive('seed-system-images', () => seedSystemImages(o));
  };
  return {
    name: 'desktop-image',
    jobs: desktopImageJobs(d.store, d.blobs, d.collector, d.runtime),
    start: seed,
    reset: seed, // system images come back after an emulator reset
    register: (router) => registerService(router, desktopImageService, { images }, d.wire),
  };
}
