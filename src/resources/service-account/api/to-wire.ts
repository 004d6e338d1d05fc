/** Domain service account → yandex.cloud.iam.v1.ServiceAccount. */
import { create } from '@bufbuild/protobuf';
import { ServiceAccountSchema, ServiceAccount_Status, type ServiceAccount as WireServiceAccount } from '../../../gen/yandex/cloud/iam/v1/service_account_pb.js';
import type { ServiceAccount } from '../domain/service-account.js';
import { ts, tsOrUndefined } from '../../../api/wire.js';

export function serviceAccountToWire(a: ServiceAccount): WireServiceAccount {
  return create(ServiceAccountSchema, {
    id: a.id,
    folderId: a.folderId,
    createdAt: ts(a.createdAt),
    name: a.name,
    description: a.description,
    labels: a.labels,
    lastAuthenticatedAt: tsOrUndefined(a.lastAuthenticatedAt),
    status: ServiceAccount_Status.ACTIVE,
  });
}
