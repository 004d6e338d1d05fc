import { create as createMessage } from '@bufbuild/protobuf';
import { CreateIamTokenResponseSchema, IamTokenService } from '../../../gen/yandex/cloud/iam/v1/iam_token_service_pb.js';
import { rpc } from '../../../api/service.js';
import { ts } from '../../../api/wire.js';
import { InvalidArgumentError } from '../../../domain/errors.js';
import type { Deps } from './deps.js';
import { throttled } from '../../../api/authz/authenticate.js';

/** The only RPC without a bearer token: it is how a service account gets one. */
export const create = rpc(IamTokenService.method.create, {
  auth: 'public',
  handler: ({ tokens, throttling }: Deps) => async (req, { ctx }) => {
    if (req.identity.case !== 'jwt') {
      throw InvalidArgumentError.field('yandex_passport_oauth_token', 'Yandex account OAuth tokens are not supported; sign a service account JWT');
    }
    const jwt = req.identity.value;
    const { token, expiresAt } = await throttled(throttling, ctx, () => tokens.exchange(jwt));
    return createMessage(CreateIamTokenResponseSchema, { iamToken: token, expiresAt: ts(expiresAt) });
  },
});
