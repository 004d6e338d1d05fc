/** Folder access bindings (FolderService): the part and the module. */
import { definePart, type Module } from '../../module.js';
import type { Store } from '../../domain/store.js';
import type { OperationRunner } from '../../domain/operation/runner.js';
import type { Pager } from '../../domain/listing/pager.js';
import type { Authorizer } from '../../domain/iam/authorizer.js';
import { registerService } from '../../api/service.js';
import type { OperationWire } from '../../api/operation-wire.js';
import { FOLDER_BINDINGS } from './domain/access-binding.js';
import { AccessBindings, FOLDER_TARGET } from './domain/access-bindings.js';
import { accessBindingJobs } from './domain/jobs.js';
import { accessBindingStorage } from './storage/table.js';
import { accessBindingsResponse, folderService } from './api/service.js';

export const accessBindingPart = definePart({
  name: 'access-binding',
  storage: accessBindingStorage,
  descriptor: FOLDER_BINDINGS,
  service: folderService,
  responses: [accessBindingsResponse],
});

export function accessBindingModule(d: { store: Store; runner: OperationRunner; pager: Pager; authorizer: Authorizer; wire: OperationWire }): Module {
  const bindings = new AccessBindings(d.store, d.runner, d.pager, d.authorizer, FOLDER_TARGET);
  return {
    name: 'access-binding',
    jobs: accessBindingJobs(),
    register: (router) => registerService(router, folderService, { bindings }, d.wire),
  };
}
