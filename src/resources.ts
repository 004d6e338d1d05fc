/**
 * THE list of clouddesk's parts. Every hub is built from it — the store's migrations and
 * repositories, blob references, the type registry and operation responses, the authorization
 * table, the audit catalogue — and none of them names a part. Adding a resource is: write its
 * folder under resources/, add one line here and one module in app.ts (docs/architecture.md).
 */
import type { DescService } from '@bufbuild/protobuf';
import type { Repos } from './domain/store.js';
import type { ResourceDescriptor } from './domain/resource.js';
import { definePart, type Part } from './module.js';
import type { ServiceDefinition } from './api/service.js';
import type { ResponseBinding } from './api/operation-wire.js';
import type { StoragePart } from './storage/sql/storage-part.js';
import { pageCursorStorage } from './storage/sql/page-cursors.js';
import { auditStorage } from './storage/sql/audit-outbox.js';
import { idempotencyStorage } from './storage/sql/idempotency-keys.js';
import { clusterStorage } from './storage/sql/cluster-secrets.js';
import { operationPart } from './resources/operation/module.js';
import { desktopImagePart } from './resources/desktop-image/module.js';
import { computeImagePart } from './resources/compute-image/module.js';
import { serviceAccountPart } from './resources/service-account/module.js';
import { keyPart } from './resources/key/module.js';
import { iamTokenPart } from './resources/iam-token/module.js';
import { accessBindingPart } from './resources/access-binding/module.js';
import { rolePart } from './resources/role/module.js';
import { desktopGroupPart } from './resources/desktop-group/module.js';
import { desktopPart } from './resources/desktop/module.js';
import { endpointPart } from './resources/endpoint/module.js';

export const PARTS = [
  operationPart,
  desktopImagePart,
  computeImagePart,
  desktopGroupPart,
  desktopPart,
  serviceAccountPart,
  keyPart,
  iamTokenPart,
  accessBindingPart,
  rolePart,
  endpointPart,
  definePart({ name: 'listing', storage: pageCursorStorage }),
  definePart({ name: 'audit', storage: auditStorage }),
  definePart({ name: 'idempotency', storage: idempotencyStorage }),
  definePart({ name: 'cluster', storage: clusterStorage }),
] as const satisfies readonly Part[];

export const STORAGE: readonly StoragePart[] = PARTS.flatMap((p) => ('storage' in p ? [p.storage] : []));
/** Every table definition; their blob columns say which blobs a database file references. */
export const BLOB_TABLES = STORAGE.flatMap((p) => p.tables ?? []);
export const DESCRIPTORS: readonly ResourceDescriptor<never>[] = PARTS.flatMap((p) => ('descriptor' in p ? [p.descriptor] : []));
export const SERVICES: readonly ServiceDefinition<DescService, unknown>[] = PARTS.flatMap((p) => ('service' in p ? [p.service] : []));
export const RESPONSES: readonly ResponseBinding[] = PARTS.flatMap((p) => ('responses' in p ? p.responses : []));

// Compile-time completeness: every repository declared in Repos (by declaration merging, next
// to each port) is built by some part's storage; blob references are built by the store itself
// from the tables. A port whose part is missing from the list fails here.
type UnionToIntersection<U> = (U extends unknown ? (k: U) => void : never) extends (k: infer I) => void ? I : never;
type WithStorage = Extract<(typeof PARTS)[number], { storage: unknown }>;
type Provided = UnionToIntersection<ReturnType<WithStorage['storage']['repos']>> & Pick<Repos, 'blobRefs'>;
export const assertReposComplete = (provided: Provided): Repos => provided;
