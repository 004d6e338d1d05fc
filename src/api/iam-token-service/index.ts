/**
 * yandex.cloud.iam.v1.IamTokenService: Create exchanges a service-account JWT for an IAM token
 * (the only RPC that needs no bearer token). Yandex account OAuth tokens do not exist here.
 * CreateForServiceAccount and Revoke answer UNIMPLEMENTED.
 */
import { create } from '@bufbuild/protobuf';
import type { Router } from '../../transport/rpc.js';
import { CreateIamTokenResponseSchema, IamTokenService } from '../../gen/yandex/cloud/iam/v1/iam_token_service_pb.js';
import type { IamTokens } from '../../domain/iam/tokens.js';
import { InvalidArgumentError } from '../../domain/errors.js';
import { ts } from '../wire.js';

export function registerIamTokenService(router: Router, tokens: IamTokens): void {
  router.add(IamTokenService, {
    create: async (req) => {
      if (req.identity.case !== 'jwt') {
        throw InvalidArgumentError.field('yandex_passport_oauth_token', 'Yandex account OAuth tokens are not supported; sign a service account JWT');
      }
      const { token, expiresAt } = await tokens.exchange(req.identity.value);
      return create(CreateIamTokenResponseSchema, { iamToken: token, expiresAt: ts(expiresAt) });
    },
  });
}
