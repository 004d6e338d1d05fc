/**
 * Keeps desktop states true to the machines under them: at start-up the desktops that were
 * ACTIVE run again (the runtime's `reconcile`). A machine that stops by itself leaves its
 * desktop STOPPED when the guest powered itself off (the user shut the OS down): a Stop of the
 * system's is submitted, so the desktop goes the way a Stop takes it (STOPPING, a non-persistent
 * boot disk made anew, STOPPED), as a group's scheduled stop does. A crash, or an end from
 * outside, leaves it in ERROR, as a failed start would.
 *
 *   const watch = new MachineWatch(store, machines, power);
 *   await watch.start();   // module start, before unfinished operations resume
 */
import type { Store } from '../../../domain/store.js';
import { SYSTEM_CALLER } from '../../../domain/caller.js';
import { FailedPreconditionError } from '../../../domain/errors.js';
import { loggers } from '../../../logger.js';
import type { Machines } from './machines.js';
import type { DesktopPower } from './power.js';

export class MachineWatch {
  constructor(private readonly store: Store, private readonly machines: Machines, private readonly power: DesktopPower) {}

  async start(): Promise<void> {
    const { runtime } = this.machines;
    runtime.onExit((id, exit) => {
      if (exit === 'powered-off') {
        loggers.desktops.info({ desktopId: id }, 'desktop guest powered off');
        void this.markStopped(id);
        return;
      }
      loggers.desktops.warn({ desktopId: id }, 'desktop machine stopped unexpectedly');
      void this.markError(id);
    });
    const active = await this.store.read((tx) => tx.desktops.allWithStatus('ACTIVE'));
    const failed = await runtime.reconcile(active, (id) => this.machines.disksOf(id));
    for (const id of failed) await this.markError(id);
    if (failed.length > 0) loggers.desktops.warn({ desktops: failed }, 'desktops could not run again after a restart');
  }

  /** Only an ACTIVE desktop is stopped (Stop's own rule): an operation in flight owns any other state. */
  async markStopped(desktopId: string): Promise<void> {
    try {
      await this.power.stop(desktopId, SYSTEM_CALLER);
    } catch (err) {
      if (err instanceof FailedPreconditionError) return;
      // Gone meanwhile, or the store is closing; the desktop stays as it is.
      loggers.desktops.error({ desktopId, err }, 'could not stop a desktop whose guest powered off');
    }
  }

  /** Only an ACTIVE desktop becomes ERROR: an operation in flight owns any other state. */
  async markError(desktopId: string): Promise<void> {
    try {
      await this.store.transact(async (tx) => {
        const desktop = await tx.desktops.get(desktopId);
        if (desktop?.status === 'ACTIVE') await tx.desktops.update({ ...desktop, status: 'ERROR' });
      });
    } catch (err) {
      // The store is closing (shutdown) or lost; the next start-up reconciles again.
      loggers.desktops.error({ desktopId, err }, 'could not record a stopped desktop machine');
    }
  }
}
