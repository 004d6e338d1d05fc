/**
 * Background steps of desktop image operations (see operation/runner.ts).
 * - copy: checks the shared blob is present and makes the image ACTIVE; rollback removes it.
 *   (A Copy whose bytes were found before its transaction ends in that transaction instead.)
 * - copy from desktop: the runtime captures the desktop's boot disk (unchanged: the image it
 *   was made from serves); the image becomes ACTIVE and the desktop is unlocked together.
 * - update: applies the stored patch; concurrent updates serialise in the store.
 * - delete: removes the row, then the blob if nothing else references it.
 */
import type { Job } from '../../../domain/operation/runner.js';
import type { Repos, Store } from '../../../domain/store.js';
import type { BlobStore } from '../../../domain/blobs/blob-store.js';
import type { DesktopRuntime } from '../../desktop/domain/runtime.js';
import type { BlobCollector } from '../../../domain/blobs/collector.js';
import { deleteImageJob } from '../../../domain/blobs/delete-image-job.js';
import { DataLossError, NotFoundError } from '../../../domain/errors.js';
import { DESKTOP_IMAGE, type DesktopImage } from './desktop-image.js';
import { activateCopy, KIND } from './desktop-images.js';

const RESPONSE = DESKTOP_IMAGE.response!;

/** Frees a desktop that this image's capture locked. */
async function unlock(tx: Repos, desktopId: string, imageId: string): Promise<void> {
  const desktop = await tx.desktops.get(desktopId);
  if (desktop?.lockedBy === imageId) await tx.desktops.update({ ...desktop, lockedBy: null });
}

export function desktopImageJobs(store: Store, blobs: BlobStore, collector: BlobCollector, runtime: DesktopRuntime): Record<string, Job> {
  const blobsOf = new Map<string, string | null>();
  const captured = new Map<string, string>();
  return {
    [KIND.copyFromDesktop]: {
      cancellable: true,
      onRestart: 'resume',
      async run(op, signal) {
        const desktopId = String(op.params['desktopId']);
        const { desktop, boot } = await store.read(async (tx) => {
          const d = await tx.desktops.get(desktopId);
          if (!d) throw new NotFoundError(`Desktop ${desktopId} not found`);
          const b = (await tx.desktopDisks.ofDesktop(desktopId)).find((x) => x.role === 'boot');
          if (!b) throw new NotFoundError(`Boot disk of desktop ${desktopId} not found`);
          return { desktop: d, boot: b };
        });
        const capture = await runtime.capture(desktop, boot, signal);
        if (capture.kind === 'blob') captured.set(op.id, capture.sha256);
        return async (tx) => {
          const image = await tx.desktopImages.get(op.resourceId);
          if (!image) throw new NotFoundError(`Desktop image ${op.resourceId} not found`);
          // An unchanged disk shares the bytes of the image it was made from: nothing is copied.
          const ready: DesktopImage =
            capture.kind === 'blob'
              ? { ...image, status: 'ACTIVE', blobSha256: capture.sha256, storageSize: capture.storageSize, minDiskSize: capture.minDiskSize }
              : { ...image, status: 'ACTIVE', blobSha256: boot.baseSha256, storageSize: boot.baseStorageSize, minDiskSize: boot.baseMinDiskSize };
          await tx.desktopImages.update(ready);
          await unlock(tx, desktopId, image.id);
          captured.delete(op.id);
          return { type: RESPONSE, value: ready };
        };
      },
      async rollback(tx, op) {
        await unlock(tx, String(op.params['desktopId']), op.resourceId);
        await tx.desktopImages.delete(op.resourceId);
      },
      async afterCommit(op) {
        const sha = captured.get(op.id);
        captured.delete(op.id);
        if (sha) await collector.collect(sha);
      },
    },
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
          return activateCopy(tx, image);
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
