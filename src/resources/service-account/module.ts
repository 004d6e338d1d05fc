/** Service accounts: the part and the module. */
import { definePart, type Module } from '../../module.js';
import type { Store } from '../../domain/store.js';
import type { Clock } from '../../clock.js';
import type { OperationRunner } from '../../domain/operation/runner.js';
import type { Pager } from '../../domain/listing/pager.js';
import type { Authorizer } from '../../domain/iam/authorizer.js';
import type { TokenRevocation } from '../../domain/iam/token-revocation.js';
import { registerService } from '../../api/service.js';
import type { OperationWire } from '../../api/operation-wire.js';
import { SERVICE_ACCOUNT } from './domain/service-account.js';
import { ServiceAccounts } from './domain/service-accounts.js';
import { serviceAccountJobs } from './domain/jobs.js';
import { serviceAccountStorage } from './storage/table.js';
import { serviceAccountResponse, serviceAccountService } from './api/service.js';

export const serviceAccountPart = definePart({
  name: 'service-account',
  storage: serviceAccountStorage,
  descriptor: SERVICE_ACCOUNT,
  service: serviceAccountService,
  responses: [serviceAccountResponse],
});

export interface ServiceAccountDeps {
  store: Store;
  clock: Clock;
  runner: OperationRunner;
  pager: Pager;
  tokens: TokenRevocation;
  authorizer: Authorizer;
  wire: OperationWire;
}

export function serviceAccountModule(d: ServiceAccountDeps): Module {
  const accounts = new ServiceAccounts(d.store, d.runner, d.pager, d.clock, d.tokens, d.authorizer);
  return {
    name: 'service-account',
    jobs: serviceAccountJobs(),
    register: (router) => registerService(router, serviceAccountService, { accounts }, d.wire),
  };
}
