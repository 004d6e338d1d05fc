/**
 * Desktop power and re-sync (docs/decisions.md point 16): Start STOPPED → STARTING → ACTIVE,
 * Stop ACTIVE → STOPPING → STOPPED, Restart ACTIVE → RESTARTING → ACTIVE, Update (re-sync with
 * the group: resources, image) → UPDATING → the state before. The transitional state commits
 * with the Operation; the job does the runtime's work and commits the final state. Any other
 * transition is FAILED_PRECONDITION `Desktop <id> is <STATUS>`. A desktop in ERROR may be
 * started, stopped or restarted again.
 *
 *   const op = await power.stop(desktopId, caller);
 */
import type { Store } from '../../../domain/store.js';
import type { Caller } from '../../../domain/caller.js';
import type { Operation } from '../../../domain/operation/operation.js';
import type { OperationRunner, OperationSpec } from '../../../domain/operation/runner.js';
import { FailedPreconditionError, NotFoundError } from '../../../domain/errors.js';
import { DESKTOP, stateMessage, type DesktopStatus } from './desktop.js';
import { DESKTOP_OPS } from './kinds.js';
import { checkUnlocked } from './desktop.js';

interface Transition {
  spec: OperationSpec;
  from: readonly DesktopStatus[];
  via: DesktopStatus;
}

const TRANSITIONS = {
  // docs/decisions.md point 16: only these; a desktop in ERROR can be re-synced (Update) or deleted.
  start: { spec: DESKTOP_OPS.start, from: ['STOPPED'], via: 'STARTING' },
  stop: { spec: DESKTOP_OPS.stop, from: ['ACTIVE'], via: 'STOPPING' },
  restart: { spec: DESKTOP_OPS.restart, from: ['ACTIVE'], via: 'RESTARTING' },
  update: { spec: DESKTOP_OPS.update, from: ['ACTIVE', 'STOPPED', 'ERROR'], via: 'UPDATING' },
} satisfies Record<string, Transition>;

export type PowerAction = keyof typeof TRANSITIONS;

export class DesktopPower {
  constructor(private readonly store: Store, private readonly runner: OperationRunner) {}

  start(id: string, caller: Caller): Promise<Operation> {
    return this.transition('start', id, caller);
  }

  stop(id: string, caller: Caller): Promise<Operation> {
    return this.transition('stop', id, caller);
  }

  restart(id: string, caller: Caller): Promise<Operation> {
    return this.transition('restart', id, caller);
  }

  update(id: string, caller: Caller): Promise<Operation> {
    return this.transition('update', id, caller);
  }

  private transition(action: PowerAction, id: string, caller: Caller): Promise<Operation> {
    const t: Transition = TRANSITIONS[action];
    return this.runner.submit(caller, t.spec, async (tx) => {
      const desktop = await tx.desktops.get(id);
      if (!desktop) throw new NotFoundError(`Desktop ${id} not found`);
      if (action !== 'stop') checkUnlocked(desktop);
      if (!t.from.includes(desktop.status)) throw new FailedPreconditionError(stateMessage(desktop));
      await tx.desktops.update({ ...desktop, status: t.via });
      return { resourceId: desktop.id, folderId: desktop.folderId, details: DESKTOP.details!(desktop), params: { previous: desktop.status } };
    });
  }
}
