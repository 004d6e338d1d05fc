/**
 * Keeps desktop states true to the machines under them: at start-up the desktops that were
 * ACTIVE run again (the runtime's `reconcile`), and a machine that stops by itself — a crash,
 * or a power-off from inside the guest — leaves its desktop in ERROR, as a failed start would.
 *
 *   const watch = new MachineWatch(store, machines);
 *   await watch.start();   // module start, before unfinished operations resume
 */
import type { Store } from '../../../domain/store.js';
import { loggers } from '../../../logger.js';
import type { Machines } from './machines.js';

export class MachineWatch {
  constructor(private readonly store: Store, private readonly machines: Machines) {}

  async start(): Promise<void> {
    const { runtime } = this.machines;
    runtime.onExit((id) => {
      loggers.desktops.warn({ desktopId: id }, 'desktop machine stopped unexpectedly');
      void this.markError(id);
    });
    const active = await this.store.read((tx) => tx.desktops.allWithStatus('ACTIVE'));
    const failed = await runtime.reconcile(active, (id) => this.machines.disksOf(id));
    for (const id of failed) await this.markError(id);
    if (failed.length > 0) loggers.desktops.warn({ desktops: failed }, 'desktops could not run again after a restart');
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
