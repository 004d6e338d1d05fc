/**
 * The role catalogue (RoleService): the folder roles of docs/decisions.md point 6 and the vdi.*
 * hierarchy of api-conventions.md section 3.2, each with the grants it gives on a folder.
 * Desktop images are not in any documented vdi role, so the mapping is ours: vdi.viewer and
 * vdi.auditor read them, vdi.editor also changes them, vdi.admin also manages the folder's
 * access bindings (for roles it holds itself). The desktop roles follow docs/decisions.md
 * point 21; roles bound on a desktop group apply to the group and its desktops.
 */
import type { Grant } from './permissions.js';

export interface Role {
  id: string;
  description: string;
  grants: readonly Grant[];
}

const VDI_VIEW: Grant[] = ['vdi.images.read', 'vdi.desktops.read'];
const VDI_EDIT: Grant[] = [...VDI_VIEW, 'vdi.images.write', 'vdi.desktops.write', 'vdi.desktops.use'];

export const ROLES: readonly Role[] = [
  {
    id: 'admin',
    description: 'Manage every resource in the folder and grant any role on it.',
    grants: ['*.read', '*.write', '*.admin', '*.use'],
  },
  {
    id: 'editor',
    description: 'Create, change and delete every resource in the folder, and operate its desktops; includes viewer.',
    grants: ['*.read', '*.write', '*.use'],
  },
  { id: 'viewer', description: 'Read every resource in the folder and its operations.', grants: ['*.read'] },
  {
    id: 'vdi.admin',
    description: 'Everything of vdi.editor, and manage the folder access bindings of the vdi.* roles.',
    grants: [
      ...VDI_EDIT, 'vdi.desktops.admin',
      'resource-manager.folders.read', 'resource-manager.accessBindings.read', 'resource-manager.accessBindings.admin',
    ],
  },
  {
    id: 'vdi.editor',
    description: 'Copy, update and delete desktop images; create, change and delete desktop groups and desktops, and operate any desktop; includes vdi.viewer.',
    grants: VDI_EDIT,
  },
  { id: 'vdi.viewer', description: 'Read desktop images, desktop groups, desktops, their operations and group access bindings; includes vdi.auditor.', grants: VDI_VIEW },
  { id: 'vdi.auditor', description: 'Read the metadata of desktop images, groups and desktops, and their operations.', grants: VDI_VIEW },
  {
    id: 'vdi.desktopGroups.maintainer',
    description: 'Start, stop, restart, get the RDP file of and reset passwords on any desktop of a group; includes vdi.desktopGroups.user.',
    grants: ['vdi.desktops.use'],
  },
  {
    id: 'vdi.desktopGroups.user',
    description: 'Start, stop, restart, get the RDP file of and reset passwords on own desktops (those whose users include the caller).',
    grants: ['vdi.desktops.useOwn'],
  },
];

const BY_ID = new Map(ROLES.map((r) => [r.id, r]));

export function roleById(id: string): Role | undefined {
  return BY_ID.get(id);
}

/** Union of the grants of the given role ids (unknown ids grant nothing). */
export function grantsOf(roleIds: Iterable<string>): Set<Grant> {
  const out = new Set<Grant>();
  for (const id of roleIds) for (const g of BY_ID.get(id)?.grants ?? []) out.add(g);
  return out;
}
