import { ServiceAccountService } from '../../../gen/yandex/cloud/iam/v1/service_account_service_pb.js';
import { folder, write } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { UnimplementedError } from '../../../domain/errors.js';
import { IAM, type Deps } from './deps.js';

export const create = rpc(ServiceAccountService.method.create, {
  auth: [write(IAM, folder())],
  audit: 'CreateServiceAccount',
  handler: ({ accounts }: Deps) => async (req, call) => {
    // Expiring service accounts (2026-06 revision) are not modelled yet: say so rather than
    // create an account that silently never expires.
    if (req.expiresAt) throw new UnimplementedError('expires_at: service accounts that expire are not supported by clouddesk');
    return accounts.create({ folderId: req.folderId, name: req.name, description: req.description, labels: { ...req.labels } }, call.caller);
  },
});
