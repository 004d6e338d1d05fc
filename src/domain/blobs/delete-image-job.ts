/**
 * The Delete job both image kinds share: remove the row in the final transaction, then free
 * its blob if no other image references it. A failed delete puts a DELETING image back to its
 * usable status.
 *
 *   runner.register(KIND.delete, deleteImageJob((tx) => tx.desktopImages, 'ACTIVE', collector));
 */
import type { Repos } from '../store.js';
import type { Job } from '../operation/runner.js';
import type { BlobCollector } from './collector.js';

interface ImageRow {
  status: string;
  blobSha256: string | null;
}

interface ImageRows<T> {
  get(id: string): Promise<T | undefined>;
  update(row: T): Promise<boolean>;
  delete(id: string): Promise<boolean>;
}

export function deleteImageJob<T extends ImageRow>(
  rowsOf: (tx: Repos) => ImageRows<T>,
  usable: T['status'],
  collector: BlobCollector,
): Job {
  const blobOf = new Map<string, string | null>();
  return {
    cancellable: false,
    onRestart: 'resume',
    async run(op) {
      return async (tx) => {
        const image = await rowsOf(tx).get(op.resourceId);
        blobOf.set(op.id, image?.blobSha256 ?? null);
        await rowsOf(tx).delete(op.resourceId);
        return { type: 'google.protobuf.Empty' };
      };
    },
    async rollback(tx, op) {
      const image = await rowsOf(tx).get(op.resourceId);
      if (image && image.status === 'DELETING') await rowsOf(tx).update({ ...image, status: usable });
    },
    async afterCommit(op) {
      const sha = blobOf.get(op.id);
      blobOf.delete(op.id);
      if (sha) await collector.collect(sha);
    },
  };
}
