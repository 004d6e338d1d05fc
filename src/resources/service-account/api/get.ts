import { ServiceAccountService } from '../../../gen/yandex/cloud/iam/v1/service_account_service_pb.js';
import { read, res } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { SERVICE_ACCOUNT } from '../domain/service-account.js';
import { serviceAccountToWire } from './to-wire.js';
import { IAM, type Deps } from './deps.js';

export const get = rpc(ServiceAccountService.method.get, {
  auth: [read(IAM, res(SERVICE_ACCOUNT, 'service_account_id'))],
  handler: ({ accounts }: Deps) => async (req) => serviceAccountToWire(await accounts.get(req.serviceAccountId)),
});
