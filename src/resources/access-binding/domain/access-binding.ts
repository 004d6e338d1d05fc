/**
 * Access bindings: a role granted to a subject on a resource — a folder (folders need no
 * creating, so a folder's bindings are its only IAM state) or a desktop group (roles there apply
 * to the group and its desktops, docs/decisions.md point 21). The descriptor is the folder as
 * FolderService sees it.
 */
import type { ResourceDescriptor } from '../../../domain/resource.js';
import { FOLDER, type Scope } from '../../../domain/iam/authorizer.js';

/** Subject types clouddesk accepts in access bindings. */
export type BindingSubjectType = 'serviceAccount' | 'system';

/** What a binding is on: `{ type: 'folder', id }` or `{ type: 'desktopGroup', id }`. */
export type BindingScope = Scope;

export interface AccessBinding {
  resourceType: string;
  resourceId: string;
  roleId: string;
  subjectType: BindingSubjectType;
  /** Service account id, or `allAuthenticatedUsers` for the `system` type. */
  subjectId: string;
}

export { ALL_AUTHENTICATED_USERS } from '../../../domain/iam/subject.js';

export type AccessBindingAction = 'ADD' | 'REMOVE';

/** One change to a resource's bindings (`yandex.cloud.access.AccessBindingDelta`). */
export interface AccessBindingDelta {
  action: AccessBindingAction;
  binding: Pick<AccessBinding, 'roleId' | 'subjectType' | 'subjectId'>;
}

/** What a folder access-binding operation reports: the changes that actually took effect. */
export interface AccessBindingsResult {
  effectiveDeltas: AccessBindingDelta[];
}

export const FOLDER_SCOPE = FOLDER;

export const FOLDER_BINDINGS: ResourceDescriptor<never> = {
  kind: 'folder',
  label: 'folder',
  idPrefix: 'aje',
  family: 'resource-manager.accessBindings',
  operationKinds: 'access-bindings.',
  response: 'yandex.cloud.access.AccessBindingsOperationResult',
  // Any folder id names a folder (docs/decisions.md point 4).
  locate: async (_tx, id) => ({ folderId: id }),
};

/** Audit `details` of binding changes. */
export function accessBindingDetails(scope: BindingScope, folderId: string, deltas: AccessBindingDelta[]): Record<string, unknown> {
  return {
    ...(scope.type === FOLDER_SCOPE ? {} : { [`${snake(scope.type)}_id`]: scope.id }),
    folder_id: folderId,
    access_binding_deltas: deltas.map((d) => ({
      action: d.action,
      access_binding: { role_id: d.binding.roleId, subject: { id: d.binding.subjectId, type: d.binding.subjectType } },
    })),
  };
}

function snake(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
