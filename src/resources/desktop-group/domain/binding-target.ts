/**
 * DesktopGroupService's access bindings: roles bound on a group apply to the group and its
 * desktops (docs/decisions.md point 21). The caller's own grants there are those of the folder
 * and of the group together, and nobody grants more than they hold.
 */
import { NotFoundError } from '../../../domain/errors.js';
import { folderScope } from '../../../domain/iam/authorizer.js';
import type { BindingTarget } from '../../access-binding/domain/access-bindings.js';
import { GROUP_SCOPE } from './desktop-group.js';
import { GROUP_OPS } from './kinds.js';

export const GROUP_TARGET: BindingTarget = {
  label: 'desktop group',
  ops: { set: GROUP_OPS.setAccessBindings, update: GROUP_OPS.updateAccessBindings },
  async resolve(tx, id) {
    const group = await tx.desktopGroups.get(id);
    if (!group) throw new NotFoundError(`Desktop group ${id} not found`);
    const scope = { type: GROUP_SCOPE, id };
    return { scope, folderId: group.folderId, held: [folderScope(group.folderId), scope] };
  },
};
