/** Authorized keys of service accounts: the part and the module. */
import { definePart, type Module } from '../../module.js';
import type { Store } from '../../domain/store.js';
import type { Clock } from '../../clock.js';
import type { OperationRunner } from '../../domain/operation/runner.js';
import type { Pager } from '../../domain/listing/pager.js';
import type { ChangeRecorder } from '../../domain/audit/audit-log.js';
import type { TokenRevocation } from '../../domain/iam/token-revocation.js';
import { registerService } from '../../api/service.js';
import type { OperationWire } from '../../api/operation-wire.js';
import { KEY } from './domain/key.js';
import { Keys } from './domain/keys.js';
import { keyJobs } from './domain/jobs.js';
import { keyStorage } from './storage/table.js';
import { keyService } from './api/service.js';

export const keyPart = definePart({ name: 'key', storage: keyStorage, descriptor: KEY, service: keyService });

export interface KeyDeps {
  store: Store;
  clock: Clock;
  runner: OperationRunner;
  pager: Pager;
  tokens: TokenRevocation;
  /** Audits Create, which has no Operation. */
  recordChange: ChangeRecorder;
  wire: OperationWire;
}

export function keyModule(d: KeyDeps): Module {
  const keys = new Keys(d.store, d.runner, d.pager, d.clock, d.tokens, d.recordChange);
  return {
    name: 'key',
    jobs: keyJobs(),
    register: (router) => registerService(router, keyService, { keys }, d.wire),
  };
}
