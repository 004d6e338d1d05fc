/**
 * Per-folder quotas on desktops and desktop groups (like the desktop image ones, docs/decisions.md
 * point 13): checked inside the transaction that inserts, before any Operation exists, so two
 * concurrent creates cannot both take the last slot. Unset limits are unlimited.
 *
 * Besides counts, the vCPU, memory and disk quotas add up the folder's desktops: cores and
 * memory from each desktop, disk sizes by type from its group's disk specs (a CREATING desktop
 * has no disks yet, but counts already). `--quota-preset cloud-defaults` sets them all.
 *
 *   await quota.checkDesktops(tx, group.folderId, group);      // one more desktop of the group
 *   await quota.checkGroups(tx, folderId, spec);                // throws RESOURCE_EXHAUSTED
 */
import type { Repos } from '../../../domain/store.js';
import { ResourceExhaustedError } from '../../../domain/errors.js';
import type { DiskSpec, ResourcesSpec } from '../../desktop-group/domain/desktop-group.js';

export interface DesktopLimits {
  /** vdi.desktops.count */
  readonly desktops?: number;
  /** vdi.desktopGroups.count */
  readonly desktopGroups?: number;
  /** vdi.desktopCores.count */
  readonly cores?: number;
  /** vdi.desktopMemory.size, bytes */
  readonly memory?: number;
  /** vdi.hddDisks.size, bytes */
  readonly hddBytes?: number;
  /** vdi.ssdDisks.size, bytes */
  readonly ssdBytes?: number;
}

/** What each desktop of a group takes. */
export interface DesktopShape {
  readonly resources: ResourcesSpec;
  readonly bootDisk: DiskSpec;
  readonly dataDisk: DiskSpec | null;
}

interface Usage {
  cores: number;
  memory: number;
  hddBytes: number;
  ssdBytes: number;
}

export class DesktopQuota {
  constructor(private readonly limits: DesktopLimits) {}

  /** `count` more desktops shaped as `shape` (a group's) in the folder. */
  async checkDesktops(tx: Repos, folderId: string, shape?: DesktopShape, count = 1): Promise<void> {
    const limit = this.limits.desktops;
    if (limit !== undefined && (await tx.desktops.countInFolder(folderId)) + count > limit) {
      throw new ResourceExhaustedError('Quota limit vdi.desktops.count exceeded');
    }
    if (shape && count > 0) await this.checkResources(tx, folderId, shape, count);
  }

  /** A new group; with `shape`, also the desktops it keeps ready from the start. */
  async checkGroups(tx: Repos, folderId: string, shape?: DesktopShape, ready = 0): Promise<void> {
    const limit = this.limits.desktopGroups;
    if (limit !== undefined && (await tx.desktopGroups.countInFolder(folderId)) + 1 > limit) {
      throw new ResourceExhaustedError('Quota limit vdi.desktopGroups.count exceeded');
    }
    if (shape && ready > 0) await this.checkDesktops(tx, folderId, shape, ready);
  }

  private async checkResources(tx: Repos, folderId: string, shape: DesktopShape, count: number): Promise<void> {
    const l = this.limits;
    if (l.cores === undefined && l.memory === undefined && l.hddBytes === undefined && l.ssdBytes === undefined) return;
    const used = await this.usage(tx, folderId);
    const more = usageOf(shape.resources, [shape.bootDisk, shape.dataDisk]);
    const over = (key: keyof Usage, limit: number | undefined) => limit !== undefined && used[key] + more[key] * count > limit;
    if (over('cores', l.cores)) throw new ResourceExhaustedError('Quota limit vdi.desktopCores.count exceeded');
    if (over('memory', l.memory)) throw new ResourceExhaustedError('Quota limit vdi.desktopMemory.size exceeded');
    if (over('hddBytes', l.hddBytes)) throw new ResourceExhaustedError('Quota limit vdi.hddDisks.size exceeded');
    if (over('ssdBytes', l.ssdBytes)) throw new ResourceExhaustedError('Quota limit vdi.ssdDisks.size exceeded');
  }

  private async usage(tx: Repos, folderId: string): Promise<Usage> {
    const total: Usage = { cores: 0, memory: 0, hddBytes: 0, ssdBytes: 0 };
    const groups = new Map<string, DesktopShape | undefined>();
    for (const d of await tx.desktops.allInFolder(folderId)) {
      if (!groups.has(d.desktopGroupId)) groups.set(d.desktopGroupId, await tx.desktopGroups.get(d.desktopGroupId));
      const g = groups.get(d.desktopGroupId);
      const u = usageOf(d.resources, g ? [g.bootDisk, g.dataDisk] : []);
      for (const k of Object.keys(total) as (keyof Usage)[]) total[k] += u[k];
    }
    return total;
  }
}

function usageOf(r: ResourcesSpec, disks: readonly (DiskSpec | null)[]): Usage {
  const u: Usage = { cores: r.cores, memory: r.memory, hddBytes: 0, ssdBytes: 0 };
  for (const d of disks) {
    if (d?.type === 'HDD') u.hddBytes += d.size;
    if (d?.type === 'SSD') u.ssdBytes += d.size;
  }
  return u;
}
