/**
 * Group schedules: `group_config.lifetime` starts the group's stopped desktops at `cron_start`
 * and stops its active ones at `cron_stop`, in `time_zone` (UTC when empty). croner parses and
 * times the expressions. Each firing submits ordinary Start/Stop operations as the system, so a
 * desktop's state machine and audit trail stay the only way it changes.
 *
 *   const schedules = new GroupSchedules(store, power);
 *   await schedules.start();  ...  schedules.refresh(groupId);  ...  schedules.stop();
 */
import { Cron } from 'croner';
import type { Store } from '../../../domain/store.js';
import { SYSTEM_CALLER } from '../../../domain/caller.js';
import { ApiError } from '../../../domain/errors.js';
import { loggers } from '../../../logger.js';
import type { DesktopPower } from '../../desktop/domain/power.js';
import type { DesktopGroup } from './desktop-group.js';

export class GroupSchedules {
  private readonly jobs = new Map<string, Cron[]>();
  private stopped = false;

  constructor(private readonly store: Store, private readonly power: DesktopPower) {}

  async start(): Promise<void> {
    for (const g of await this.store.read((tx) => tx.desktopGroups.listScheduled())) this.schedule(g);
  }

  /** After a group was made, changed or removed: its schedule as the group says now. */
  refresh(groupId: string): void {
    if (this.stopped) return;
    this.store
      .read((tx) => tx.desktopGroups.get(groupId))
      .then((g) => {
        this.unschedule(groupId);
        if (g && g.status === 'ACTIVE') this.schedule(g);
      })
      .catch((err: unknown) => loggers.operations.warn({ err, groupId }, 'could not refresh a group schedule'));
  }

  /** The store was replaced: the schedules its groups say now. */
  async reload(): Promise<void> {
    for (const id of [...this.jobs.keys()]) this.unschedule(id);
    await this.start();
  }

  stop(): void {
    this.stopped = true;
    for (const id of [...this.jobs.keys()]) this.unschedule(id);
  }

  private schedule(g: DesktopGroup): void {
    const l = g.config.lifetime;
    if (!l) return;
    const options = { timezone: l.timeZone || 'UTC', protect: true };
    const crons: Cron[] = [];
    if (l.cronStart) crons.push(new Cron(l.cronStart, options, () => this.fire(g.id, 'start')));
    if (l.cronStop) crons.push(new Cron(l.cronStop, options, () => this.fire(g.id, 'stop')));
    this.jobs.set(g.id, crons);
  }

  private unschedule(groupId: string): void {
    for (const c of this.jobs.get(groupId) ?? []) c.stop();
    this.jobs.delete(groupId);
  }

  private async fire(groupId: string, action: 'start' | 'stop'): Promise<void> {
    const desktops = await this.store.read((tx) => tx.desktops.allInGroup(groupId));
    const from = action === 'start' ? 'STOPPED' : 'ACTIVE';
    for (const d of desktops.filter((x) => x.status === from && !x.lockedBy)) {
      try {
        await (action === 'start' ? this.power.start(d.id, SYSTEM_CALLER) : this.power.stop(d.id, SYSTEM_CALLER));
      } catch (err) {
        // The desktop moved on between the read and the operation: nothing to do.
        if (!(err instanceof ApiError)) loggers.operations.warn({ err, desktopId: d.id, action }, 'scheduled desktop operation failed');
      }
    }
    loggers.operations.info({ groupId, action, desktops: desktops.length }, 'desktop group schedule fired');
  }
}
