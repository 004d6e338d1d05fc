import { KeyService } from '../../../gen/yandex/cloud/iam/v1/key_service_pb.js';
import { res, write } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { KEY } from '../domain/key.js';
import { IAM, type Deps } from './deps.js';

export const remove = rpc(KeyService.method.delete, {
  auth: [write(IAM, res(KEY, 'key_id'))],
  audit: 'DeleteKey',
  handler: ({ keys }: Deps) => (req, call) => keys.delete(req.keyId, call.caller),
});
