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
import { computeImageJobs, type ImportSlots } from './domain/jobs.js';
import { ComputeImageAdmission, type ComputeImageLimits } from './domain/admission.js';
import type { SecretBox } from '../../domain/secret-box.js';
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
  imports: ImportSlots & { readonly urlsEnabled: boolean; readonly queueMax: number };
  quota: ComputeImageLimits;
  /** Seals import uris in operation params. */
  box: SecretBox;
}

export function computeImageModule(d: ComputeImageDeps): Module {
  const admission = new ComputeImageAdmission({ quota: d.quota, maxPendingImports: d.imports.concurrency + d.imports.queueMax });
  const policy = { urlsEnabled: d.imports.urlsEnabled, admission, box: d.box };
  const images = new ComputeImages(d.store, d.runner, d.pager, d.clock, d.operations, policy);
  return {
    name: 'compute-image',
    jobs: computeImageJobs(d.importer, d.collector, d.imports, policy),
    register: (router) => registerService(router, imageService, { images, wire: d.wire }, d.wire),
  };
}
