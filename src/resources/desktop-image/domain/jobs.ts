/**
 * Background steps of desktop image operations (see operation/runner.ts).
 * - copy: checks the shared blob is present and makes the image ACTIVE; rollback removes it.
 * - update: applies the stored patch; concurrent updates serialise in the store.
 * - delete: removes the row, then the blob if nothing else references it.
 */
import type { Job } from '../../../domain/operation/runner.js';
import type { BlobStore } from '../../../domain/blobs/blob-store.js';
import type { BlobCollector } from '../../../domain/blobs/collector.js';
import { deleteImageJob } from '../../../domain/blobs/delete-image-job.js';
import { DataLossError, NotFoundError } from '../../../domain/errors.js';
import { DESKTOP_IMAGE, type DesktopImage } from './desktop-image.js';
import { KIND } from './desktop-images.js';

const RESPONSE = DESKTOP_IMAGE.response!;

export function desktopImageJobs(blobs: BlobStore, collector: BlobCollector): Record<string, Job> {
  const blobsOf = new Map<string, string | null>();
  return {
    [KIND.copy]: {
      cancellable: true,
      onRestart: 'resume',
      async run(op) {
        return async (tx) => {
          const image = await tx.desktopImages.get(op.resourceId);
          if (!image) throw new NotFoundError(`Desktop image ${op.resourceId} not found`);
          if (image.blobSha256 && !(await blobs.has(image.blobSha256))) {
            throw new DataLossError(`The data of source image ${image.sourceId} is missing from the blob store`);
          }
          const ready: DesktopImage = { ...image, status: 'ACTIVE' };
          await tx.desktopImages.update(ready);
          return { type: RESPONSE, value: ready };
        };
      },
      async rollback(tx, op) {
        const image = await tx.desktopImages.get(op.resourceId);
        blobsOf.set(op.id, image?.blobSha256 ?? null);
        await tx.desktopImages.delete(op.resourceId);
      },
      async afterCommit(op) {
        const sha = blobsOf.get(op.id);
        blobsOf.delete(op.id);
        if (sha) await collector.collect(sha);
      },
    },
    [KIND.update]: {
      cancellable: false,
      onRestart: 'resume',
      async run(op) {
        return async (tx) => {
          const image = await tx.desktopImages.get(op.resourceId);
          if (!image) throw new NotFoundError(`Desktop image ${op.resourceId} not found`);
          const patch = (op.params['patch'] ?? {}) as Partial<Pick<DesktopImage, 'name' | 'labels' | 'description'>>;
          const updated: DesktopImage = { ...image, ...patch };
          await tx.desktopImages.update(updated);
          return { type: RESPONSE, value: updated };
        };
      },
      async rollback() {},
    },
    [KIND.delete]: deleteImageJob((tx) => tx.desktopImages, 'ACTIVE', collector),
  };
}
