/**
 * Background steps of desktop group operations. Create makes the group ACTIVE, then its standby
 * desktops are made (one system operation each). Update applies the new spec; with the AUTO
 * policy a new image re-images every ACTIVE or STOPPED desktop (persistent ones keep their data
 * disk), each UPDATING until it is back in its state, as under DesktopService.Update (or in
 * ERROR when its machine did not run again, as after a failed Start); with MANUAL
 * nothing changes until DesktopService.Update of each desktop (docs/decisions.md point 15). Delete
 * tears down every desktop of the group and removes them with the group, its bindings and disks.
 */
import type { Repos, Store } from '../../../domain/store.js';
import type { Job } from '../../../domain/operation/runner.js';
import { EMPTY_RESPONSE, type Operation } from '../../../domain/operation/operation.js';
import { reportingJob } from '../../../domain/operation/reporting-job.js';
import type { BlobCollector } from '../../../domain/blobs/collector.js';
import { NotFoundError } from '../../../domain/errors.js';
import { MachineDown, type Machines } from '../../desktop/domain/machines.js';
import type { Disk } from '../../desktop/domain/disk.js';
import { loggers } from '../../../logger.js';
import type { StandbyKeeper } from '../../desktop/domain/standby.js';
import { blobsOf, machineDown } from '../../desktop/domain/jobs.js';
import type { DesktopStatus } from '../../desktop/domain/desktop.js';
import { DESKTOP_GROUP, GROUP_SCOPE, type DesktopGroup } from './desktop-group.js';
import { GROUP_KIND } from './kinds.js';
import type { GroupSchedules } from './schedule.js';

async function groupIn(tx: Repos, id: string): Promise<DesktopGroup> {
  const group = await tx.desktopGroups.get(id);
  if (!group) throw new NotFoundError(`Desktop group ${id} not found`);
  return group;
}

/** The desktops a group Update re-images, with the state each had when it was accepted. */
const reimagingOf = (op: Operation) => (op.params['reimaging'] ?? {}) as Record<string, DesktopStatus>;

export function desktopGroupJobs(store: Store, machines: Machines, collector: BlobCollector, standby: StandbyKeeper, schedules: GroupSchedules): Record<string, Job> {
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
        // The desktops the AUTO policy re-images, UPDATING since the request, with the state each
        // returns to. Each commits as soon as it is done, so it is usable again while the others
        // go on, and a resumed job skips those no longer UPDATING.
        for (const [id, previous] of Object.entries(reimagingOf(op))) {
          const { desktop, disks } = await machines.current(id);
          if (desktop.status !== 'UPDATING') continue;
          const synced = { ...desktop, resources: { ...updated.resources } };
          let fresh: Disk[] | MachineDown;
          try {
            fresh = await machines.resync(synced, disks, updated.desktopImageId, previous === 'ACTIVE', signal);
          } catch (err) {
            if (!(err instanceof MachineDown)) throw err;
            // This desktop ends in ERROR, as after a failed Start; the group and the others go on.
            loggers.desktops.warn({ desktopId: id, groupId: op.resourceId, err: err.failure }, 'desktop did not run again after its re-image');
            fresh = err;
          }
          await store.transact(async (tx) => {
            const d = await tx.desktops.get(id);
            if (d?.status !== 'UPDATING') return;
            if (fresh instanceof MachineDown) return machineDown(tx, machines, id, fresh);
            await machines.saveDisks(tx, id, fresh);
            await tx.desktops.update({ ...d, imageId: updated.desktopImageId, resources: { ...updated.resources }, status: previous });
          });
        }
        return async (tx) => {
          const group = await groupIn(tx, op.resourceId);
          await tx.desktopGroups.update({ ...group, ...updated, createdAt: group.createdAt, status: 'ACTIVE' });
          return EMPTY_RESPONSE;
        };
      },
      async rollback(tx, op) {
        const group = await tx.desktopGroups.get(op.resourceId);
        if (group?.status === 'UPDATING') await tx.desktopGroups.update({ ...group, status: 'ACTIVE' });
        for (const [id, previous] of Object.entries(reimagingOf(op))) {
          const d = await tx.desktops.get(id);
          if (d?.status === 'UPDATING') await tx.desktops.update({ ...d, status: previous });
        }
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
