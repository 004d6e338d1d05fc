/**
 * Per-folder quotas on desktop images (docs/decisions.md point 13, api-conventions 10.3): how many
 * there are and their total storage_size. Checked inside the transaction that inserts the new
 * image, before its Operation exists; the store runs write transactions as if one at a time
 * (SQLite: one at a time; PostgreSQL: SERIALIZABLE), so two concurrent Copies cannot both take
 * the last slot. Images being created or deleted count.
 * The system images folder does not count. Unset limits are unlimited.
 *
 *   await quota.check(tx, folderId, source.storageSize);   // throws RESOURCE_EXHAUSTED
 */
import type { Repos } from '../../../domain/store.js';
import { ResourceExhaustedError } from '../../../domain/errors.js';

export interface DesktopImageLimits {
  /** vdi.desktopImages.count */
  readonly count?: number;
  /** vdi.desktopImages.size, bytes */
  readonly size?: number;
}

export class DesktopImageQuota {
  constructor(private readonly limits: DesktopImageLimits, private readonly systemFolderId: string) {}

  /** Throws when adding one image of `addSize` bytes to `folderId` would exceed a limit. */
  async check(tx: Repos, folderId: string, addSize: number): Promise<void> {
    const { count, size } = this.limits;
    if (folderId === this.systemFolderId || (count === undefined && size === undefined)) return;
    const used = await tx.desktopImages.countInFolder(folderId);
    if (count !== undefined && used.count + 1 > count) {
      throw new ResourceExhaustedError('Quota limit vdi.desktopImages.count exceeded');
    }
    if (size !== undefined && used.storageSize + addSize > size) {
      throw new ResourceExhaustedError('Quota limit vdi.desktopImages.size exceeded');
    }
  }
}
