/**
 * Per-folder quotas on desktops and desktop groups (like the desktop image ones, docs/decisions.md
 * point 13): checked inside the transaction that inserts, before any Operation exists, so two
 * concurrent creates cannot both take the last slot. Unset limits are unlimited.
 *
 *   await quota.checkDesktops(tx, folderId);   // throws RESOURCE_EXHAUSTED
 */
import type { Repos } from '../../../domain/store.js';
import { ResourceExhaustedError } from '../../../domain/errors.js';

export interface DesktopLimits {
  /** vdi.desktops.count */
  readonly desktops?: number;
  /** vdi.desktopGroups.count */
  readonly desktopGroups?: number;
}

export class DesktopQuota {
  constructor(private readonly limits: DesktopLimits) {}

  async checkDesktops(tx: Repos, folderId: string): Promise<void> {
    const limit = this.limits.desktops;
    if (limit !== undefined && (await tx.desktops.countInFolder(folderId)) + 1 > limit) {
      throw new ResourceExhaustedError('Quota limit vdi.desktops.count exceeded');
    }
  }

  async checkGroups(tx: Repos, folderId: string): Promise<void> {
    const limit = this.limits.desktopGroups;
    if (limit !== undefined && (await tx.desktopGroups.countInFolder(folderId)) + 1 > limit) {
      throw new ResourceExhaustedError('Quota limit vdi.desktopGroups.count exceeded');
    }
  }
}
