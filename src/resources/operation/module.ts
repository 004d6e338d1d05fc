/** Operations as a resource: their table, OperationService, and purging finished ones. */
import { definePart, type Module } from '../../module.js';
import type { Operations } from '../../domain/operation/operations.js';
import { registerService } from '../../api/service.js';
import type { OperationWire } from '../../api/operation-wire.js';
import { OPERATION } from './domain/operation-resource.js';
import { operationStorage } from './storage/table.js';
import { operationService } from './api/service.js';

export const operationPart = definePart({
  name: 'operation',
  storage: operationStorage,
  descriptor: OPERATION,
  service: operationService,
});

export function operationModule(d: { operations: Operations; wire: OperationWire; retentionMs: number }): Module {
  return {
    name: 'operation',
    register: (router) => registerService(router, operationService, { operations: d.operations, wire: d.wire }, d.wire),
    async housekeeping(tx, now) {
      await tx.operations.purgeFinished(new Date(now.getTime() - d.retentionMs));
    },
  };
}
