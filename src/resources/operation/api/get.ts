import { OperationService } from '../../../gen/yandex/cloud/operation/operation_service_pb.js';
import { read, res } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { OPERATION } from '../domain/operation-resource.js';
import type { Deps } from './deps.js';

export const get = rpc(OperationService.method.get, {
  // Readers of the folder of what it acts on, in that resource's family.
  auth: [read('of-resource', res(OPERATION, 'operation_id'))],
  audit: false,
  handler: ({ operations }: Deps) => (req) => operations.get(req.operationId),
});
