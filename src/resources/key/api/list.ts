import { KeyService, ListKeysResponseSchema } from '../../../gen/yandex/cloud/iam/v1/key_service_pb.js';
import { read, res } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { listResponse, pageRequest } from '../../../api/wire.js';
import { SERVICE_ACCOUNT } from '../../service-account/domain/service-account.js';
import { keyToWire } from './to-wire.js';
import { IAM, ownAccountIfEmpty, type Deps } from './deps.js';

export const list = rpc(KeyService.method.list, {
  auth: [read(IAM, res(SERVICE_ACCOUNT, 'service_account_id', true))],
  handler: ({ keys }: Deps) => async (req, { ctx }) =>
    listResponse(ListKeysResponseSchema, 'keys', await keys.list(ownAccountIfEmpty(req.serviceAccountId, ctx), pageRequest(req)), keyToWire),
});
