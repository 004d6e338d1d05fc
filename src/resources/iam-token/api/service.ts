/**
 * yandex.cloud.iam.v1.IamTokenService: Create exchanges a service-account JWT for an IAM token.
 * Yandex account OAuth tokens do not exist here. CreateForServiceAccount and Revoke answer
 * UNIMPLEMENTED.
 */
import { IamTokenService } from '../../../gen/yandex/cloud/iam/v1/iam_token_service_pb.js';
import { res, write } from '../../../api/authz/rules.js';
import { defineService, unimplemented } from '../../../api/service.js';
import { SERVICE_ACCOUNT } from '../../service-account/domain/service-account.js';
import { create } from './create.js';

export const iamTokenService = defineService(IamTokenService, {
  rpcs: {
    create,
    createForServiceAccount: unimplemented([write('iam.serviceAccounts', res(SERVICE_ACCOUNT, 'service_account_id'))]),
    revoke: unimplemented('authenticated'),
  },
});
