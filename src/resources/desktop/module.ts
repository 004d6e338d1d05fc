/**
 * Desktops: the part (storage, descriptor, service, response binding) and the module. The
 * module also hands the desktop group module what the two share: the machines over the runtime,
 * power (for schedules) and the standby keeper.
 */
import { definePart, type Module } from '../../module.js';
import type { Store } from '../../domain/store.js';
import type { Clock } from '../../clock.js';
import type { OperationRunner } from '../../domain/operation/runner.js';
import type { Operations } from '../../domain/operation/operations.js';
import type { Pager } from '../../domain/listing/pager.js';
import type { BlobCollector } from '../../domain/blobs/collector.js';
import type { ChangeRecorder } from '../../domain/audit/audit-log.js';
import { registerService } from '../../api/service.js';
import type { OperationWire } from '../../api/operation-wire.js';
import { DESKTOP } from './domain/desktop.js';
import { Desktops } from './domain/desktops.js';
import { DesktopPower } from './domain/power.js';
import { DesktopAccess } from './domain/access.js';
import { Machines } from './domain/machines.js';
import { StandbyKeeper } from './domain/standby.js';
import { MachineWatch } from './domain/machine-watch.js';
import { DesktopQuota, type DesktopLimits } from './domain/quota.js';
import type { DesktopRuntime } from './domain/runtime.js';
import { desktopJobs } from './domain/jobs.js';
import { desktopStorage } from './storage/storage.js';
import { desktopResponse, desktopService } from './api/service.js';

export const desktopPart = definePart({
  name: 'desktop',
  storage: desktopStorage,
  descriptor: DESKTOP,
  service: desktopService,
  responses: [desktopResponse],
});

export interface DesktopDeps {
  store: Store;
  clock: Clock;
  runner: OperationRunner;
  operations: Operations;
  pager: Pager;
  collector: BlobCollector;
  runtime: DesktopRuntime;
  /** Audits RDP files and password resets, which have no Operation. */
  recordChange: ChangeRecorder;
  wire: OperationWire;
  quota: DesktopLimits;
}

export interface DesktopModule extends Module {
  readonly machines: Machines;
  readonly power: DesktopPower;
  readonly standby: StandbyKeeper;
  readonly quota: DesktopQuota;
}

export function desktopModule(d: DesktopDeps): DesktopModule {
  const quota = new DesktopQuota(d.quota);
  const desktops = new Desktops(d.store, d.runner, d.pager, d.clock, d.operations, quota);
  const power = new DesktopPower(d.store, d.runner);
  const machines = new Machines(d.store, d.runtime);
  const standby = new StandbyKeeper(d.store, d.runner, desktops);
  const access = new DesktopAccess(d.store, d.clock, d.runtime, d.recordChange);
  return {
    name: 'desktop',
    machines,
    power,
    standby,
    quota,
    jobs: desktopJobs(machines, d.collector, standby),
    start: () => new MachineWatch(d.store, machines, power).start(),
    stop: () => d.runtime.close(),
    register: (router) => registerService(router, desktopService, { desktops, power, access, wire: d.wire }, d.wire),
  };
}
