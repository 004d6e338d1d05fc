import { OperationService } from '../../../gen/yandex/cloud/operation/operation_service_pb.js';
import { read, res } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { OPERATION } from '../domain/operation-resource.js';
import type { Deps } from './deps.js';

export const get = rpc(OperationService.method.get, {
  // Readers of what it acts on (its folder, a desktop's group), in that resource's family; and
  // whoever started it, when it may operate there (a desktop's user, a maintainer).
  auth: [read('of-resource', res(OPERATION, 'operation_id'), { owner: true })],
  audit: false,
  handler: ({ operations }: Deps) => (req) => operations.get(req.operationId),
});
