import { ServiceAccountService } from '../../../gen/yandex/cloud/iam/v1/service_account_service_pb.js';
import { res, write } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { SERVICE_ACCOUNT } from '../domain/service-account.js';
import { IAM, type Deps } from './deps.js';

export const remove = rpc(ServiceAccountService.method.delete, {
  auth: [write(IAM, res(SERVICE_ACCOUNT, 'service_account_id'))],
  audit: 'DeleteServiceAccount',
  handler: ({ accounts }: Deps) => (req, call) => accounts.delete(req.serviceAccountId, call.caller),
});
