import { ListServiceAccountsResponseSchema, ServiceAccountService } from '../../../gen/yandex/cloud/iam/v1/service_account_service_pb.js';
import { folder, read } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { listRequest, listResponse } from '../../../api/wire.js';
import { serviceAccountToWire } from './to-wire.js';
import { IAM, type Deps } from './deps.js';

export const list = rpc(ServiceAccountService.method.list, {
  auth: [read(IAM, folder())],
  handler: ({ accounts }: Deps) => async (req) =>
    listResponse(ListServiceAccountsResponseSchema, 'serviceAccounts', await accounts.list(listRequest(req)), serviceAccountToWire),
});
