/**
 * Background steps of desktop operations (see domain/operation/runner.ts). Each does the
 * runtime's work outside any transaction, then commits the final state with the Operation's
 * response; each is safe to resume after a crash (the runtime calls repeat). A failed create
 * leaves the desktop CREATION_FAILED, a failed start, stop or restart leaves it ERROR, and so does
 * a re-image (Update) whose runtime step failed — its machine is off; a cancelled
 * create removes it. Non-persistent desktops get their boot disk made anew at Stop and Restart.
 */
import type { Repos } from '../../../domain/store.js';
import type { Job } from '../../../domain/operation/runner.js';
import type { Operation, OperationResponse } from '../../../domain/operation/operation.js';
import { EMPTY_RESPONSE } from '../../../domain/operation/operation.js';
import type { BlobCollector } from '../../../domain/blobs/collector.js';
import { NotFoundError } from '../../../domain/errors.js';
import { DESKTOP, type Desktop, type DesktopStatus } from './desktop.js';
import type { Disk } from './disk.js';
import { DESKTOP_KIND } from './kinds.js';
import { MachineDown, type Machines } from './machines.js';
import type { StandbyKeeper } from './standby.js';

const RESPONSE = DESKTOP.response!;

async function desktopIn(tx: Repos, id: string): Promise<Desktop> {
  const desktop = await tx.desktops.get(id);
  if (!desktop) throw new NotFoundError(`Desktop ${id} not found`);
  return desktop;
}

/** Commits `status` (and the runtime's disks) and answers with the desktop. */
function finalState(status: (d: Desktop, op: Operation) => DesktopStatus, disks?: readonly Disk[], machines?: Machines, extra: Partial<Desktop> = {}) {
  return async (tx: Repos, op: Operation): Promise<OperationResponse> => {
    const desktop = await desktopIn(tx, op.resourceId);
    const done: Desktop = { ...desktop, ...extra, status: status(desktop, op) };
    if (disks && machines) await machines.saveDisks(tx, desktop.id, disks);
    await tx.desktops.update(done);
    return { type: RESPONSE, value: done };
  };
}

/** On failure the desktop ends in `status`. */
function endsIn(status: DesktopStatus): Job['rollback'] {
  return async (tx, op) => {
    const desktop = await tx.desktops.get(op.resourceId);
    if (desktop) await tx.desktops.update({ ...desktop, status });
  };
}

/**
 * A re-image whose runtime step failed (DesktopService.Update, a group's AUTO update): the
 * desktop ends in ERROR, as after a failed Start, on the disks and image it has now.
 */
export async function machineDown(tx: Repos, machines: Machines, desktopId: string, down: MachineDown): Promise<void> {
  const desktop = await tx.desktops.get(desktopId);
  if (!desktop) return;
  await machines.saveDisks(tx, desktopId, down.disks);
  await tx.desktops.update({ ...desktop, imageId: down.imageId, status: 'ERROR' });
}

const previous = (_d: Desktop, op: Operation) => op.params['previous'] as DesktopStatus;

export function desktopJobs(machines: Machines, collector: BlobCollector, standby: StandbyKeeper): Record<string, Job> {
  const { runtime } = machines;
  const read = (op: Operation) => machines.current(op.resourceId);
  const afterCreate = new Map<string, { groupId: string; cancelled: { desktop: Desktop; disks: Disk[] } | null }>();
  const freed = new Map<string, { groupId: string; shas: string[] }>();
  /** Updates whose re-image left the machine off (their rollback ends the desktop in ERROR). */
  const down = new Map<string, MachineDown>();

  return {
    [DESKTOP_KIND.create]: {
      cancellable: true,
      onRestart: 'resume',
      async run(op, signal) {
        const { desktop, group } = await read(op);
        afterCreate.set(op.id, { groupId: group.id, cancelled: null });
        if (op.params['standby']) return (tx) => finalState((d) => d.status)(tx, op);
        const disks = await machines.provision(desktop, group, signal);
        return (tx) => finalState(() => 'ACTIVE', disks, machines)(tx, op);
      },
      async rollback(tx, op, error) {
        const desktop = await tx.desktops.get(op.resourceId);
        if (!desktop) return;
        if (op.params['standby']) {
          // A cancelled hand-out puts the standby back.
          if (error.code === 1) await tx.desktops.update({ ...desktop, users: [], name: '', labels: {}, description: '' });
          return;
        }
        if (error.code === 1) {
          afterCreate.set(op.id, { groupId: desktop.desktopGroupId, cancelled: { desktop, disks: await tx.desktopDisks.ofDesktop(desktop.id) } });
          await machines.forget(tx, desktop.id);
        } else {
          await tx.desktops.update({ ...desktop, status: 'CREATION_FAILED' });
        }
      },
      async afterCommit(op) {
        const after = afterCreate.get(op.id);
        afterCreate.delete(op.id);
        if (!after) return;
        if (after.cancelled) {
          await runtime.destroy(after.cancelled.desktop, after.cancelled.disks);
          for (const sha of blobsOf(after.cancelled.disks)) await collector.collect(sha);
        }
        await standby.replenish(after.groupId);
      },
    },
    [DESKTOP_KIND.start]: {
      cancellable: false,
      onRestart: 'resume',
      async run(op, signal) {
        const { desktop, disks } = await read(op);
        await runtime.start(desktop, disks, signal);
        return (tx) => finalState(() => 'ACTIVE')(tx, op);
      },
      rollback: endsIn('ERROR'),
    },
    [DESKTOP_KIND.stop]: {
      cancellable: false,
      onRestart: 'resume',
      async run(op, signal) {
        const { desktop, group, disks } = await read(op);
        await runtime.stop(desktop, disks, signal);
        const kept = group.config.desktopType === 'NON_PERSISTENT' ? await machines.resetToBase(desktop, disks, signal) : disks;
        return (tx) => finalState(() => 'STOPPED', kept, machines)(tx, op);
      },
      rollback: endsIn('ERROR'),
    },
    [DESKTOP_KIND.restart]: {
      cancellable: false,
      onRestart: 'resume',
      async run(op, signal) {
        const { desktop, group, disks } = await read(op);
        let kept = disks;
        if (group.config.desktopType === 'NON_PERSISTENT') {
          await runtime.stop(desktop, disks, signal);
          kept = await machines.resetToBase(desktop, disks, signal);
          await runtime.start(desktop, kept, signal);
        } else {
          await runtime.restart(desktop, disks, signal);
        }
        return (tx) => finalState(() => 'ACTIVE', kept, machines)(tx, op);
      },
      rollback: endsIn('ERROR'),
    },
    [DESKTOP_KIND.update]: {
      cancellable: false,
      onRestart: 'resume',
      async run(op, signal) {
        const { desktop, group, disks } = await read(op);
        // Re-sync with the group: its resources, and its image (the data disk stays). A running
        // desktop is powered off for the new disk, or for new cores or memory alone, and runs
        // again with the group's resources.
        const running = op.params['previous'] === 'ACTIVE';
        const synced = { ...desktop, resources: { ...group.resources } };
        let kept = disks;
        try {
          if (group.desktopImageId !== desktop.imageId || (running && !sameResources(desktop.resources, group.resources))) {
            kept = await machines.resync(synced, disks, group.desktopImageId, running, signal);
          }
        } catch (err) {
          if (!(err instanceof MachineDown)) throw err;
          // The operation fails with the runtime's error and the desktop ends ERROR, as a Start's does.
          down.set(op.id, err);
          throw err.failure;
        }
        return (tx) => finalState(previous, kept, machines, { resources: { ...group.resources }, imageId: group.desktopImageId })(tx, op);
      },
      async rollback(tx, op) {
        const failed = down.get(op.id);
        down.delete(op.id);
        if (failed) return machineDown(tx, machines, op.resourceId, failed);
        const desktop = await tx.desktops.get(op.resourceId);
        if (desktop) await tx.desktops.update({ ...desktop, status: previous(desktop, op) });
      },
    },
    [DESKTOP_KIND.updateProperties]: {
      cancellable: false,
      onRestart: 'resume',
      async run(op) {
        const patch = (op.params['patch'] ?? {}) as Partial<Pick<Desktop, 'name' | 'labels' | 'description'>>;
        return (tx) => finalState((d) => d.status, undefined, undefined, patch)(tx, op);
      },
      async rollback() {},
    },
    [DESKTOP_KIND.delete]: {
      cancellable: false,
      onRestart: 'resume',
      async run(op) {
        const { desktop, disks } = await read(op);
        await runtime.destroy(desktop, disks);
        return async (tx) => {
          freed.set(op.id, { groupId: desktop.desktopGroupId, shas: blobsOf(await tx.desktopDisks.ofDesktop(desktop.id)) });
          await machines.forget(tx, desktop.id);
          return EMPTY_RESPONSE;
        };
      },
      async rollback(tx, op) {
        const desktop = await tx.desktops.get(op.resourceId);
        if (desktop?.status === 'DELETING') await tx.desktops.update({ ...desktop, status: previous(desktop, op) });
      },
      async afterCommit(op) {
        const f = freed.get(op.id);
        freed.delete(op.id);
        if (!f) return;
        for (const sha of f.shas) await collector.collect(sha);
        await standby.replenish(f.groupId);
      },
    },
  };
}

function sameResources(a: Desktop['resources'], b: Desktop['resources']): boolean {
  return a.cores === b.cores && a.memory === b.memory && a.coreFraction === b.coreFraction;
}

export function blobsOf(disks: readonly Disk[]): string[] {
  return disks.flatMap((d) => [d.baseSha256, d.overlaySha256].filter((s): s is string => Boolean(s)));
}
