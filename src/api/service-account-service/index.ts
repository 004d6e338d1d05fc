/**
 * yandex.cloud.iam.v1.ServiceAccountService: Get, List, Create and Delete. Update, the
 * access-binding RPCs of the account, ListOperations, Suspend and Reactivate are declared and
 * answer UNIMPLEMENTED.
 */
import { create } from '@bufbuild/protobuf';
import type { Router } from '../../transport/rpc.js';
import { ListServiceAccountsResponseSchema, ServiceAccountService } from '../../gen/yandex/cloud/iam/v1/service_account_service_pb.js';
import type { ServiceAccounts } from '../../domain/iam/service-accounts.js';
import { callerOf } from '../caller.js';
import { UnimplementedError } from '../../domain/errors.js';
import { operationToWire } from '../operation-service/to-wire.js';
import { serviceAccountToWire } from './to-wire.js';

export function registerServiceAccountService(router: Router, accounts: ServiceAccounts): void {
  router.add(ServiceAccountService, {
    get: async (req) => serviceAccountToWire(await accounts.get(req.serviceAccountId)),
    list: async (req) => {
      const page = await accounts.list(req);
      return create(ListServiceAccountsResponseSchema, {
        serviceAccounts: page.items.map(serviceAccountToWire),
        nextPageToken: page.nextPageToken,
      });
    },
    create: async (req, ctx) => {
      // Expiring service accounts (2026-06 revision) are not modelled yet: say so rather than
      // create an account that silently never expires.
      if (req.expiresAt) throw new UnimplementedError('expires_at: service accounts that expire are not supported by clouddesk');
      return operationToWire(
        await accounts.create(
          { folderId: req.folderId, name: req.name, description: req.description, labels: { ...req.labels } },
          callerOf(ctx),
        ),
      );
    },
    delete: async (req, ctx) => operationToWire(await accounts.delete(req.serviceAccountId, callerOf(ctx))),
  });
}
