import { OperationService } from '../../../gen/yandex/cloud/operation/operation_service_pb.js';
import { res, write } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { OPERATION } from '../domain/operation-resource.js';
import type { Deps } from './deps.js';

export const cancel = rpc(OperationService.method.cancel, {
  auth: [write('of-resource', res(OPERATION, 'operation_id'))],
  // The Cancel itself is not an Audit Trails event; the operation's own final event says CANCELLED.
  audit: false,
  handler: ({ operations }: Deps) => (req) => operations.cancel(req.operationId),
});
