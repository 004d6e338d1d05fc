/** Compute images: the part (storage, descriptor, service, response binding) and the module. */
import { definePart, type Module } from '../../module.js';
import type { Store } from '../../domain/store.js';
import type { Clock } from '../../clock.js';
import type { OperationRunner } from '../../domain/operation/runner.js';
import type { Operations } from '../../domain/operation/operations.js';
import type { Pager } from '../../domain/listing/pager.js';
import type { BlobCollector } from '../../domain/blobs/collector.js';
import type { ImageImporter } from '../../domain/blobs/image-importer.js';
import { registerService } from '../../api/service.js';
import type { OperationWire } from '../../api/operation-wire.js';
import { COMPUTE_IMAGE } from './domain/compute-image.js';
import { ComputeImages } from './domain/compute-images.js';
import { computeImageJobs } from './domain/jobs.js';
import { computeImageStorage } from './storage/table.js';
import { computeImageResponse, imageService } from './api/service.js';

export const computeImagePart = definePart({
  name: 'compute-image',
  storage: computeImageStorage,
  descriptor: COMPUTE_IMAGE,
  service: imageService,
  responses: [computeImageResponse],
});

export interface ComputeImageDeps {
  store: Store;
  clock: Clock;
  runner: OperationRunner;
  operations: Operations;
  pager: Pager;
  collector: BlobCollector;
  importer: ImageImporter;
  wire: OperationWire;
  /** Imports downloading at the same time. */
  importConcurrency: number;
}

export function computeImageModule(d: ComputeImageDeps): Module {
  const images = new ComputeImages(d.store, d.runner, d.pager, d.clock, d.operations);
  return {
    name: 'compute-image',
    jobs: computeImageJobs(d.importer, d.collector, d.importConcurrency),
    register: (router) => registerService(router, imageService, { images, wire: d.wire }, d.wire),
  };
}
