import { KeyService } from '../../../gen/yandex/cloud/iam/v1/key_service_pb.js';
import { read, res } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { KEY } from '../domain/key.js';
import { keyToWire } from './to-wire.js';
import { IAM, type Deps } from './deps.js';

export const get = rpc(KeyService.method.get, {
  auth: [read(IAM, res(KEY, 'key_id'))],
  handler: ({ keys }: Deps) => async (req) => keyToWire(await keys.get(req.keyId)),
});
