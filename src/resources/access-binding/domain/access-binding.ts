/**
 * Folder access bindings: a role granted on a folder to a subject. Folders need no creating,
 * so the bindings of a folder are the folder's only IAM state. The descriptor is the folder as
 * FolderService sees it.
 */
import type { ResourceDescriptor } from '../../../domain/resource.js';

/** Subject types clouddesk accepts in access bindings. */
export type BindingSubjectType = 'serviceAccount' | 'system';

export interface AccessBinding {
  folderId: string;
  roleId: string;
  subjectType: BindingSubjectType;
  /** Service account id, or `allAuthenticatedUsers` for the `system` type. */
  subjectId: string;
}

export { ALL_AUTHENTICATED_USERS } from '../../../domain/iam/subject.js';

export type AccessBindingAction = 'ADD' | 'REMOVE';

/** One change to a folder's bindings (`yandex.cloud.access.AccessBindingDelta`). */
export interface AccessBindingDelta {
  action: AccessBindingAction;
  binding: Omit<AccessBinding, 'folderId'>;
}

/** What an access-binding operation reports: the changes that actually took effect. */
export interface AccessBindingsResult {
  effectiveDeltas: AccessBindingDelta[];
}

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
export function accessBindingDetails(folderId: string, deltas: AccessBindingDelta[]): Record<string, unknown> {
  return {
    folder_id: folderId,
    access_binding_deltas: deltas.map((d) => ({
      action: d.action,
      access_binding: { role_id: d.binding.roleId, subject: { id: d.binding.subjectId, type: d.binding.subjectType } },
    })),
  };
}
