/** Desktop groups: the part and the module (use cases, jobs, schedules, group access bindings). */
import { definePart, type Module } from '../../module.js';
import type { Store } from '../../domain/store.js';
import type { Clock } from '../../clock.js';
import type { OperationRunner } from '../../domain/operation/runner.js';
import type { Operations } from '../../domain/operation/operations.js';
import type { Pager } from '../../domain/listing/pager.js';
import type { BlobCollector } from '../../domain/blobs/collector.js';
import type { Authorizer } from '../../domain/iam/authorizer.js';
import { registerService } from '../../api/service.js';
import type { OperationWire } from '../../api/operation-wire.js';
import { AccessBindings } from '../access-binding/domain/access-bindings.js';
import type { DesktopModule } from '../desktop/module.js';
import { DESKTOP_GROUP } from './domain/desktop-group.js';
import { DesktopGroups } from './domain/desktop-groups.js';
import { desktopGroupJobs } from './domain/jobs.js';
import { GroupSchedules } from './domain/schedule.js';
import { GROUP_TARGET } from './domain/binding-target.js';
import { desktopGroupStorage } from './storage/table.js';
import { desktopGroupResponse, desktopGroupService } from './api/service.js';

export const desktopGroupPart = definePart({
  name: 'desktop-group',
  storage: desktopGroupStorage,
  descriptor: DESKTOP_GROUP,
  service: desktopGroupService,
  responses: [desktopGroupResponse],
});

export interface DesktopGroupDeps {
  store: Store;
  clock: Clock;
  runner: OperationRunner;
  operations: Operations;
  pager: Pager;
  collector: BlobCollector;
  authorizer: Authorizer;
  wire: OperationWire;
  systemFolderId: string;
  /** Machines, power, standby and quotas shared with desktops. */
  desktops: DesktopModule;
}

export function desktopGroupModule(d: DesktopGroupDeps): Module {
  const groups = new DesktopGroups(d.store, d.runner, d.pager, d.clock, d.operations, d.desktops.quota, d.systemFolderId);
  const bindings = new AccessBindings(d.store, d.runner, d.pager, d.authorizer, GROUP_TARGET);
  const schedules = new GroupSchedules(d.store, d.desktops.power);
  return {
    name: 'desktop-group',
    jobs: desktopGroupJobs(d.store, d.desktops.machines, d.collector, d.desktops.standby, schedules),
    start: () => schedules.start(),
    reset: () => schedules.reload(),
    register: (router) => registerService(router, desktopGroupService, { groups, bindings, wire: d.wire }, d.wire),
    stop: async () => schedules.stop(),
  };
}
