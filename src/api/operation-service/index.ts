/** yandex.cloud.operation.OperationService: Get and Cancel. */
import type { Router } from '../../transport/rpc.js';
import { OperationService } from '../../gen/yandex/cloud/operation/operation_service_pb.js';
import type { Operations } from '../../domain/operation/operations.js';
import { operationToWire } from './to-wire.js';

export function registerOperationService(router: Router, operations: Operations): void {
  router.add(OperationService, {
    get: async (req) => operationToWire(await operations.get(req.operationId)),
    cancel: async (req) => operationToWire(await operations.cancel(req.operationId)),
  });
}
