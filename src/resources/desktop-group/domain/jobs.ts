/**
 * Background steps of desktop group operations. Create makes the group ACTIVE, then its standby
 * desktops are made (one system operation each). Update applies the new spec; with the AUTO
 * policy a new image re-images every desktop (persistent ones keep their data disk), with MANUAL
 * nothing changes until DesktopService.Update of each desktop (docs/decisions.md point 15). Delete
 * tears down every desktop of the group and removes them with the group, its bindings and disks.
 */
import type { Repos } from '../../../domain/store.js';
import type { Job } from '../../../domain/operation/runner.js';
import { EMPTY_RESPONSE, type Operation } from '../../../domain/operation/operation.js';
import { reportingJob } from '../../../domain/operation/reporting-job.js';
import type { BlobCollector } from '../../../domain/blobs/collector.js';
import { NotFoundError } from '../../../domain/errors.js';
import type { Machines } from '../../desktop/domain/machines.js';
import type { StandbyKeeper } from '../../desktop/domain/standby.js';
import { blobsOf } from '../../desktop/domain/jobs.js';
import type { Disk } from '../../desktop/domain/disk.js';
import { DESKTOP_GROUP, GROUP_SCOPE, type DesktopGroup } from './desktop-group.js';
import { GROUP_KIND } from './kinds.js';
import type { GroupSchedules } from './schedule.js';

async function groupIn(tx: Repos, id: string): Promise<DesktopGroup> {
  const group = await tx.desktopGroups.get(id);
  if (!group) throw new NotFoundError(`Desktop group ${id} not found`);
  return group;
}

export function desktopGroupJobs(machines: Machines, collector: BlobCollector, standby: StandbyKeeper, schedules: GroupSchedules): Record<string, Job> {
  const freed = new Map<string, string[]>();
  const settle = async (op: Operation) => {
    schedules.refresh(op.resourceId);
    await standby.replenish(op.resourceId);
  };
  return {
    [GROUP_KIND.create]: {
      cancellable: true,
      onRestart: 'resume',
      async run(op) {
        return async (tx) => {
          const group = await groupIn(tx, op.resourceId);
          const active: DesktopGroup = { ...group, status: 'ACTIVE' };
          await tx.desktopGroups.update(active);
          return { type: DESKTOP_GROUP.response!, value: active };
        };
      },
      async rollback(tx, op) {
        await tx.accessBindings.deleteOn({ type: GROUP_SCOPE, id: op.resourceId });
        await tx.desktopGroups.delete(op.resourceId);
      },
      afterCommit: settle,
    },
    [GROUP_KIND.update]: {
      cancellable: false,
      onRestart: 'resume',
      async run(op, signal) {
        const updated = op.params['updated'] as DesktopGroup;
        const before = await machines.groupOf(op.resourceId);
        const reimaged: { id: string; disks: Disk[] }[] = [];
        if (updated.updatePolicy === 'AUTO' && updated.desktopImageId !== before.desktopImageId) {
          for (const d of await machines.desktopsOf(op.resourceId)) {
            if (d.status !== 'ACTIVE' && d.status !== 'STOPPED') continue;
            const synced = { ...d, resources: { ...updated.resources } };
            reimaged.push({ id: d.id, disks: await machines.reimage(synced, await machines.disksOf(d.id), updated.desktopImageId, d.status === 'ACTIVE', signal) });
          }
        }
        return async (tx) => {
          const group = await groupIn(tx, op.resourceId);
          await tx.desktopGroups.update({ ...group, ...updated, createdAt: group.createdAt, status: 'ACTIVE' });
          for (const r of reimaged) {
            const d = await tx.desktops.get(r.id);
            if (!d) continue;
            await machines.saveDisks(tx, d.id, r.disks);
            await tx.desktops.update({ ...d, imageId: updated.desktopImageId, resources: { ...updated.resources } });
          }
          return EMPTY_RESPONSE;
        };
      },
      async rollback(tx, op) {
        const group = await tx.desktopGroups.get(op.resourceId);
        if (group?.status === 'UPDATING') await tx.desktopGroups.update({ ...group, status: 'ACTIVE' });
      },
      afterCommit: settle,
    },
    [GROUP_KIND.delete]: {
      cancellable: false,
      onRestart: 'resume',
      async run(op) {
        const desktops = await machines.desktopsOf(op.resourceId);
        for (const d of desktops) await machines.teardown(d);
        return async (tx) => {
          const shas: string[] = [];
          for (const d of await tx.desktops.allInGroup(op.resourceId)) {
            shas.push(...blobsOf(await tx.desktopDisks.ofDesktop(d.id)));
            await machines.forget(tx, d.id);
          }
          freed.set(op.id, shas);
          await tx.accessBindings.deleteOn({ type: GROUP_SCOPE, id: op.resourceId });
          await tx.desktopGroups.delete(op.resourceId);
          return EMPTY_RESPONSE;
        };
      },
      async rollback(tx, op) {
        const group = await tx.desktopGroups.get(op.resourceId);
        if (group?.status === 'DELETING') await tx.desktopGroups.update({ ...group, status: 'ACTIVE' });
      },
      async afterCommit(op) {
        schedules.refresh(op.resourceId);
        const shas = freed.get(op.id) ?? [];
        freed.delete(op.id);
        for (const sha of shas) await collector.collect(sha);
      },
    },
    // Group access bindings change when accepted; their operations answer Empty (wire-contract 8 item 5).
    [GROUP_KIND.setAccessBindings]: reportingJob(async () => EMPTY_RESPONSE),
    [GROUP_KIND.updateAccessBindings]: reportingJob(async () => EMPTY_RESPONSE),
  };
}
