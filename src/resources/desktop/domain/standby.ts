/**
 * Hot standby (docs/decisions.md point 15): a group keeps `min_ready_desktops` running desktops
 * with no users, which Create hands out first. `replenish` tops the group up after it is made,
 * after a standby is taken and after a desktop goes — one system operation per missing desktop,
 * never above `max_desktops_amount` or the folder's quotas (a refused one is logged and waits
 * for the next occasion).
 *
 *   await standby.replenish(groupId);
 */
import type { Store } from '../../../domain/store.js';
import { SYSTEM_CALLER } from '../../../domain/caller.js';
import { FailedPreconditionError } from '../../../domain/errors.js';
import type { OperationRunner } from '../../../domain/operation/runner.js';
import { loggers } from '../../../logger.js';
import { effectiveMax } from '../../desktop-group/domain/desktop-group.js';
import { DESKTOP } from './desktop.js';
import type { Desktops } from './desktops.js';
import { DESKTOP_OPS } from './kinds.js';

const ENOUGH = 'enough standby desktops';

export class StandbyKeeper {
  constructor(private readonly store: Store, private readonly runner: OperationRunner, private readonly desktops: Desktops) {}

  async replenish(groupId: string): Promise<void> {
    for (;;) {
      try {
        await this.runner.submit(SYSTEM_CALLER, DESKTOP_OPS.create, async (tx) => {
          const group = await tx.desktopGroups.get(groupId);
          const missing = group && group.status === 'ACTIVE' ? group.config.minReadyDesktops - (await tx.desktops.countStandby(group.id)) : 0;
          if (!group || missing <= 0 || (await tx.desktops.countInGroup(group.id)) >= effectiveMax(group)) {
            throw new FailedPreconditionError(ENOUGH);
          }
          await this.desktops.admitOne(tx, group);
          const desktop = this.desktops.newDesktop(group, group.network?.subnetIds[0] ?? '', { name: '', labels: {}, description: '', users: [] });
          await tx.desktops.insert(desktop);
          return { resourceId: desktop.id, folderId: desktop.folderId, details: DESKTOP.details!(desktop) };
        });
      } catch (err) {
        if (!(err instanceof FailedPreconditionError && err.message === ENOUGH)) {
          loggers.operations.warn({ err, groupId }, 'could not make a standby desktop');
        }
        return;
      }
    }
  }
}
