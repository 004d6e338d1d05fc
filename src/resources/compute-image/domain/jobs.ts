/**
 * Background steps of Compute image operations (see operation/runner.ts).
 * - create from uri: streams the URL into the blob store (import-url.ts) with at most
 *   `concurrency` imports at once and `folderConcurrency` of one folder (the folder's others
 *   wait without holding a global slot), then makes the image READY with its sizes if the
 *   folder's quota still allows them. The full uri is unsealed from the params only here;
 *   create from image_id: the bytes are already shared, the image just becomes READY.
 *   Failure or cancel removes the image and any blob nothing else references.
 * - update / delete: as for desktop images.
 */
import type { Job } from '../../../domain/operation/runner.js';
import type { ImageImporter, ImportedImage } from '../../../domain/blobs/image-importer.js';
import type { BlobCollector } from '../../../domain/blobs/collector.js';
import { deleteImageJob } from '../../../domain/blobs/delete-image-job.js';
import { FailedPreconditionError, NotFoundError } from '../../../domain/errors.js';
import { Semaphore } from '../../../domain/semaphore.js';
import { COMPUTE_IMAGE, type ComputeImage } from './compute-image.js';
import { COMPUTE_KIND, type ImportPolicy } from './compute-images.js';
import type { Operation } from '../../../domain/operation/operation.js';

const RESPONSE = COMPUTE_IMAGE.response!;

export interface ImportSlots {
  /** Imports downloading at the same time, in all and of one folder. */
  readonly concurrency: number;
  readonly folderConcurrency: number;
}

/** @param importer brings a URL's bytes into the blob store */
export function computeImageJobs(
  importer: ImageImporter, collector: BlobCollector, slots: ImportSlots, policy: ImportPolicy,
): Record<string, Job> {
  const imports = new Semaphore(slots.concurrency);
  const folders = new Map<string, { sem: Semaphore; users: number }>();
  // A folder's semaphore lives while one of its imports runs or waits.
  const inFolder = async <T>(folderId: string, signal: AbortSignal, fn: () => Promise<T>): Promise<T> => {
    const entry = folders.get(folderId) ?? { sem: new Semaphore(slots.folderConcurrency), users: 0 };
    folders.set(folderId, entry);
    entry.users++;
    try {
      return await entry.sem.run(signal, fn);
    } finally {
      if (--entry.users === 0) folders.delete(folderId);
    }
  };
  const blobsOf = new Map<string, string | null>();
  const collectAfter = async (opId: string) => {
    const sha = blobsOf.get(opId);
    blobsOf.delete(opId);
    if (sha) await collector.collect(sha);
  };
  return {
    [COMPUTE_KIND.create]: {
      cancellable: true,
      onRestart: 'resume',
      async run(op, signal) {
        const uri = sourceUri(op, policy);
        let imported: ImportedImage | undefined;
        if (uri !== undefined) {
          imported = await inFolder(op.folderId, signal, () =>
            imports.run(signal, () =>
              collector.guard(async () => {
                const result = await importer.fromUrl(uri, signal);
                // Recorded before the final transaction so a failure there still collects it.
                blobsOf.set(op.id, result.sha256);
                return result;
              }),
            ),
          );
        }
        return async (tx) => {
          const image = await tx.computeImages.get(op.resourceId);
          if (!image) throw new NotFoundError(`Image ${op.resourceId} not found`);
          if (imported) await policy.admission.checkQuota(tx, image.folderId, imported.size, image.id);
          const requested = Number(op.params['requestedMinDiskSize'] ?? 0);
          const ready: ComputeImage = imported
            ? {
                ...image,
                status: 'READY',
                blobSha256: imported.sha256,
                storageSize: imported.size,
                minDiskSize: Math.max(requested, Number(imported.virtualSize)),
              }
            : { ...image, status: 'READY' };
          await tx.computeImages.update(ready);
          blobsOf.delete(op.id);
          return { type: RESPONSE, value: ready };
        };
      },
      async rollback(tx, op) {
        const image = await tx.computeImages.get(op.resourceId);
        if (image?.blobSha256 && !blobsOf.has(op.id)) blobsOf.set(op.id, image.blobSha256);
        await tx.computeImages.delete(op.resourceId);
      },
      afterCommit: (op) => collectAfter(op.id),
    },
    [COMPUTE_KIND.update]: {
      cancellable: false,
      onRestart: 'resume',
      async run(op) {
        return async (tx) => {
          const image = await tx.computeImages.get(op.resourceId);
          if (!image) throw new NotFoundError(`Image ${op.resourceId} not found`);
          const patch = (op.params['patch'] ?? {}) as { name?: string; description?: string; labels?: Record<string, string>; min_disk_size?: number };
          const updated: ComputeImage = {
            ...image,
            ...(patch.name !== undefined && { name: patch.name }),
            ...(patch.description !== undefined && { description: patch.description }),
            ...(patch.labels !== undefined && { labels: patch.labels }),
            ...(patch.min_disk_size !== undefined && { minDiskSize: patch.min_disk_size }),
          };
          await tx.computeImages.update(updated);
          return { type: RESPONSE, value: updated };
        };
      },
      async rollback() {},
    },
    [COMPUTE_KIND.delete]: deleteImageJob((tx) => tx.computeImages, 'READY', collector),
  };
}

/** The full uri of an import: sealed in the params (older operations kept it in plain text). */
function sourceUri(op: Operation, policy: ImportPolicy): string | undefined {
  if (op.params['uri'] === undefined) return undefined;
  if (!policy.urlsEnabled) throw new FailedPreconditionError('uri: importing images from URLs is turned off on this server (--import-urls)');
  const sealed = (op.params['sealed'] as { uri?: unknown } | undefined)?.uri;
  if (typeof sealed === 'string') {
    try {
      return policy.box.open(sealed);
    } catch {
      throw new FailedPreconditionError('uri: the import cannot be resumed (its sealing key changed); create the image again');
    }
  }
  return String(op.params['uri']);
}
