/**
 * What a Compute image Create must pass before its Operation exists, checked in the transaction
 * that inserts the image (write transactions run one at a time, so two Creates cannot both take
 * the last slot): the per-folder quotas (compute.images.count, compute.images.size, like the
 * desktop image ones in desktop-image/domain/quota.ts) and, for URL imports, the bound on imports
 * waiting for a download slot. Images being created or deleted count. Unset limits are unlimited.
 *
 *   await admission.check(tx, folderId, { addSize: 0, isImport: true });   // RESOURCE_EXHAUSTED
 */
import type { Repos } from '../../../domain/store.js';
import { ResourceExhaustedError } from '../../../domain/errors.js';

export interface ComputeImageLimits {
  readonly count?: number;
  /** Bytes of storage_size. */
  readonly size?: number;
}

export interface AdmissionOptions {
  readonly quota: ComputeImageLimits;
  /** Imports running plus waiting at most (download slots + queue length). */
  readonly maxPendingImports: number;
}

export class ComputeImageAdmission {
  constructor(private readonly o: AdmissionOptions) {}

  async check(tx: Repos, folderId: string, add: { addSize: number; isImport: boolean }): Promise<void> {
    const { count, size } = this.o.quota;
    if (count !== undefined || size !== undefined) await this.checkQuota(tx, folderId, add.addSize);
    if (add.isImport && (await tx.computeImages.countImports()) >= this.o.maxPendingImports) {
      throw new ResourceExhaustedError('Too many image imports are waiting; try again later');
    }
  }

  /** At the end of an import, with the real size: the folder may have filled up meanwhile. */
  async checkQuota(tx: Repos, folderId: string, addSize: number, excludeId?: string): Promise<void> {
    const { count, size } = this.o.quota;
    const used = await tx.computeImages.countInFolder(folderId, excludeId);
    if (count !== undefined && used.count + 1 > count) throw new ResourceExhaustedError('Quota limit compute.images.count exceeded');
    if (size !== undefined && used.storageSize + addSize > size) throw new ResourceExhaustedError('Quota limit compute.images.size exceeded');
  }
}
