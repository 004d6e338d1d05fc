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
 *   await quota.checkReshape(tx, group.folderId, group.id, updated);  // a group's new resources or disks
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

  /**
   * A group Update that changes its resources or disks: every desktop of the group takes the new
   * shape (its disks at once, its cores and memory when it is next re-synced with the group), so
   * the folder's usage is counted with them reshaped. Only a quota the change makes grow past its
   * limit refuses it: a folder already over a lowered limit may still shrink.
   */
  async checkReshape(tx: Repos, folderId: string, groupId: string, shape: DesktopShape): Promise<void> {
    if (!this.limitsResources()) return;
    const { now: before, reshaped: after } = await this.usage(tx, folderId, { groupId, shape });
    this.refuseOver(after, (key) => after[key] > before[key]);
  }

  private async checkResources(tx: Repos, folderId: string, shape: DesktopShape, count: number): Promise<void> {
    if (!this.limitsResources()) return;
    const { now: used } = await this.usage(tx, folderId);
    const more = usageOf(shape.resources, [shape.bootDisk, shape.dataDisk]);
    const total: Usage = { cores: 0, memory: 0, hddBytes: 0, ssdBytes: 0 };
    for (const k of USAGE_KEYS) total[k] = used[k] + more[k] * count;
    this.refuseOver(total, () => true);
  }

  private limitsResources(): boolean {
    const l = this.limits;
    return l.cores !== undefined || l.memory !== undefined || l.hddBytes !== undefined || l.ssdBytes !== undefined;
  }

  /** RESOURCE_EXHAUSTED for the first quota `usage` passes whose growth counts. */
  private refuseOver(usage: Usage, counts: (key: keyof Usage) => boolean): void {
    const l = this.limits;
    const over = (key: keyof Usage, limit: number | undefined) => limit !== undefined && usage[key] > limit && counts(key);
    if (over('cores', l.cores)) throw new ResourceExhaustedError('Quota limit vdi.desktopCores.count exceeded');
    if (over('memory', l.memory)) throw new ResourceExhaustedError('Quota limit vdi.desktopMemory.size exceeded');
    if (over('hddBytes', l.hddBytes)) throw new ResourceExhaustedError('Quota limit vdi.hddDisks.size exceeded');
    if (over('ssdBytes', l.ssdBytes)) throw new ResourceExhaustedError('Quota limit vdi.ssdDisks.size exceeded');
  }

  /**
   * What the folder's desktops take now, and with `reshaped`'s group at its new shape (the same
   * as now without it). A desktop counts the larger of its own cores and memory and its group's:
   * after a group Update it takes the group's at its next re-sync, so the room is held from the
   * Update on.
   */
  private async usage(tx: Repos, folderId: string, reshaped?: { groupId: string; shape: DesktopShape }): Promise<{ now: Usage; reshaped: Usage }> {
    const now: Usage = { cores: 0, memory: 0, hddBytes: 0, ssdBytes: 0 };
    const after: Usage = { ...now };
    const groups = new Map<string, DesktopShape | undefined>();
    for (const d of await tx.desktops.allInFolder(folderId)) {
      if (!groups.has(d.desktopGroupId)) groups.set(d.desktopGroupId, await tx.desktopGroups.get(d.desktopGroupId));
      const u = desktopUsage(d.resources, groups.get(d.desktopGroupId));
      const r = d.desktopGroupId === reshaped?.groupId ? desktopUsage(d.resources, reshaped.shape) : u;
      for (const k of USAGE_KEYS) {
        now[k] += u[k];
        after[k] += r[k];
      }
    }
    return { now, reshaped: after };
  }
}

/** One desktop's share: as its group `shape` says, with the larger cores and memory (see usage). */
function desktopUsage(own: ResourcesSpec, shape: DesktopShape | undefined): Usage {
  return shape ? usageOf(larger(own, shape.resources), [shape.bootDisk, shape.dataDisk]) : usageOf(own, []);
}

const USAGE_KEYS = ['cores', 'memory', 'hddBytes', 'ssdBytes'] as const;

function larger(a: ResourcesSpec, b: ResourcesSpec): ResourcesSpec {
  return { ...a, cores: Math.max(a.cores, b.cores), memory: Math.max(a.memory, b.memory) };
}

function usageOf(r: ResourcesSpec, disks: readonly (DiskSpec | null)[]): Usage {
  const u: Usage = { cores: r.cores, memory: r.memory, hddBytes: 0, ssdBytes: 0 };
  for (const d of disks) {
    if (d?.type === 'HDD') u.hddBytes += d.size;
    if (d?.type === 'SSD') u.ssdBytes += d.size;
  }
  return u;
}
