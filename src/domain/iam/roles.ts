/**
 * The role catalogue (RoleService): the folder roles of docs/decisions.md point 6 and the vdi.*
 * hierarchy of api-conventions.md section 3.2, each with the grants it gives on a folder.
 * Desktop images are not in any documented vdi role, so the mapping is ours: vdi.viewer and
 * vdi.auditor read them, vdi.editor also changes them, vdi.admin also manages the folder's
 * access bindings (for roles it holds itself). The desktop-group roles concern desktops, which
 * clouddesk does not serve yet: they can be bound but grant nothing here.
 */
import type { Grant } from './permissions.js';

export interface Role {
  id: string;
  description: string;
  grants: readonly Grant[];
}

const VDI_VIEW: Grant[] = ['vdi.images.read'];
const VDI_EDIT: Grant[] = [...VDI_VIEW, 'vdi.images.write'];

export const ROLES: readonly Role[] = [
  {
    id: 'admin',
    description: 'Manage every resource in the folder and grant any role on it.',
    grants: ['*.read', '*.write', '*.admin'],
  },
  {
    id: 'editor',
    description: 'Create, change and delete every resource in the folder; includes viewer.',
    grants: ['*.read', '*.write'],
  },
  { id: 'viewer', description: 'Read every resource in the folder and its operations.', grants: ['*.read'] },
  {
    id: 'vdi.admin',
    description: 'Everything of vdi.editor, and manage the folder access bindings of the vdi.* roles.',
    grants: [...VDI_EDIT, 'resource-manager.folders.read', 'resource-manager.accessBindings.read', 'resource-manager.accessBindings.admin'],
  },
  { id: 'vdi.editor', description: 'Copy, update and delete desktop images; includes vdi.viewer.', grants: VDI_EDIT },
  { id: 'vdi.viewer', description: 'Read desktop images and their operations; includes vdi.auditor.', grants: VDI_VIEW },
  { id: 'vdi.auditor', description: 'Read desktop image metadata and operations.', grants: VDI_VIEW },
  {
    id: 'vdi.desktopGroups.maintainer',
    description: 'Operate any desktop of a desktop group; includes vdi.desktopGroups.user. No image permissions.',
    grants: [],
  },
  { id: 'vdi.desktopGroups.user', description: 'Take and operate own desktops of a desktop group. No image permissions.', grants: [] },
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
