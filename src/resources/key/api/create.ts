import { create as createMessage } from '@bufbuild/protobuf';
import { CreateKeyResponseSchema, KeyService } from '../../../gen/yandex/cloud/iam/v1/key_service_pb.js';
import { Key_Algorithm } from '../../../gen/yandex/cloud/iam/v1/key_pb.js';
import { res, write } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { SERVICE_ACCOUNT } from '../../service-account/domain/service-account.js';
import { keyToWire } from './to-wire.js';
import { IAM, ownAccountIfEmpty, type Deps } from './deps.js';

/** Synchronous (no Operation): the private key is in the reply, once, and never stored. */
export const create = rpc(KeyService.method.create, {
  auth: [write(IAM, res(SERVICE_ACCOUNT, 'service_account_id', true))],
  audit: 'CreateKey',
  handler: ({ keys }: Deps) => async (req, call) => {
    // Unset means RSA_2048, the documented default (wire-contract.md 16 item 7).
    const algorithm = req.keyAlgorithm === Key_Algorithm.RSA_4096 ? 'RSA_4096' : 'RSA_2048';
    const { key, privateKey } = await keys.create(
      { serviceAccountId: ownAccountIfEmpty(req.serviceAccountId, call.ctx), description: req.description, algorithm },
      call.caller,
    );
    return createMessage(CreateKeyResponseSchema, { key: keyToWire(key), privateKey });
  },
});
