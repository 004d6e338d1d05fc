/** Operation kinds and specs of desktop groups. */
import type { OperationSpec } from '../../../domain/operation/runner.js';
import { DESKTOP_GROUP } from './desktop-group.js';

export const GROUP_KIND = {
  create: 'desktop-group.create',
  update: 'desktop-group.update',
  delete: 'desktop-group.delete',
  setAccessBindings: 'desktop-group.set-access-bindings',
  updateAccessBindings: 'desktop-group.update-access-bindings',
} as const;

const META = 'yandex.cloud.clouddesktop.v1.api.';
const spec = (kind: string, description: string, metadataType: string, metadataId = 'desktopGroupId'): OperationSpec => ({
  kind, description, resource: DESKTOP_GROUP, metadataType, metadataId,
});

export const GROUP_OPS = {
  create: spec(GROUP_KIND.create, 'Create desktop group', `${META}CreateDesktopGroupMetadata`),
  update: spec(GROUP_KIND.update, 'Update desktop group', `${META}UpdateDesktopGroupMetadata`),
  delete: spec(GROUP_KIND.delete, 'Delete desktop group', `${META}DeleteDesktopGroupMetadata`),
  setAccessBindings: spec(GROUP_KIND.setAccessBindings, 'Set access bindings', 'yandex.cloud.access.SetAccessBindingsMetadata', 'resourceId'),
  updateAccessBindings: spec(GROUP_KIND.updateAccessBindings, 'Update access bindings', 'yandex.cloud.access.UpdateAccessBindingsMetadata', 'resourceId'),
};
