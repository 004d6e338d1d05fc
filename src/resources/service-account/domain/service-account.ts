/**
 * The service account: the identity clouddesk authenticates (through its keys' JWTs), its
 * List fields and its descriptor.
 */
import type { ListFields } from '../../../domain/listing/list-query.js';
import { locatedIn, type ResourceDescriptor } from '../../../domain/resource.js';

export interface ServiceAccount {
  /** `aje` + 17 characters (docs/decisions.md point 4). */
  id: string;
  folderId: string;
  /** Unique in its folder. */
  name: string;
  description: string;
  labels: Record<string, string>;
  createdAt: Date;
  /** Last successful JWT exchange. */
  lastAuthenticatedAt: Date | null;
}

export const SERVICE_ACCOUNT_LIST: ListFields<ServiceAccount> = {
  kind: 'service-account',
  filter: ['name'],
  sort: { name: 'name', created_at: 'createdAt' },
  aliases: { createdAt: 'created_at' },
};

export const SERVICE_ACCOUNT: ResourceDescriptor<ServiceAccount> = {
  kind: 'serviceAccount',
  label: 'service account',
  idPrefix: 'aje',
  family: 'iam.serviceAccounts',
  operationKinds: 'iam.service-account.',
  response: 'yandex.cloud.iam.v1.ServiceAccount',
  locate: async (tx, id) => locatedIn(await tx.serviceAccounts.get(id)),
  details: (a) => ({ service_account_id: a.id, service_account_name: a.name, folder_id: a.folderId }),
};
