/**
 * The desktop: one machine of a desktop group, its List fields and its descriptor. A desktop
 * belongs to its users (the `useOwn` level) and lives in its group's scope, so roles bound on
 * the group apply to it (docs/decisions.md points 16 and 21).
 */
import type { ListFields } from '../../../domain/listing/list-query.js';
import type { ResourceDescriptor } from '../../../domain/resource.js';
import type { ResourcesSpec } from '../../desktop-group/domain/desktop-group.js';
import { GROUP_SCOPE } from '../../desktop-group/domain/desktop-group.js';
import { FailedPreconditionError } from '../../../domain/errors.js';

export type DesktopStatus =
  | 'CREATING' | 'ACTIVE' | 'DELETING' | 'RESTARTING' | 'UPDATING' | 'STARTING' | 'STOPPING' | 'STOPPED'
  | 'ERROR' | 'CREATION_FAILED' | 'HEALTH_CHECK';

export interface DesktopUser {
  subjectId: string;
  subjectType: string;
}

export interface NetworkInterface {
  networkId: string;
  subnetId: string;
}

export interface Desktop {
  id: string;
  folderId: string;
  desktopGroupId: string;
  createdAt: Date;
  status: DesktopStatus;
  name: string;
  description: string;
  labels: Record<string, string>;
  resources: ResourcesSpec;
  networkInterfaces: NetworkInterface[];
  /** Empty for a standby desktop kept ready by the group. */
  users: DesktopUser[];
  /** The desktop image its boot disk was made from. */
  imageId: string;
  /** The desktop image being captured from it (CopyFromDesktop), which locks it. */
  lockedBy: string | null;
}

export const DESKTOP_LIST: ListFields<Desktop> = {
  kind: 'desktop',
  filter: ['name'],
  sort: { name: 'name', created_at: 'createdAt', status: 'status' },
  aliases: { createdAt: 'created_at' },
};

export const DESKTOP: ResourceDescriptor<Desktop> = {
  kind: 'desktop',
  label: 'desktop',
  idPrefix: 'e3v',
  family: 'vdi.desktops',
  operationKinds: 'desktop.',
  response: 'yandex.cloud.clouddesktop.v1.api.Desktop',
  async locate(tx, id) {
    const d = await tx.desktops.get(id);
    return d && { folderId: d.folderId, scopes: [{ type: GROUP_SCOPE, id: d.desktopGroupId }], owners: d.users.map((u) => u.subjectId) };
  },
  details: (d) => ({ desktop_id: d.id, desktop_name: d.name, desktop_group_id: d.desktopGroupId, folder_id: d.folderId }),
};

/** FAILED_PRECONDITION text for a transition the state does not allow. */
export function stateMessage(d: Pick<Desktop, 'id' | 'status'>): string {
  return `Desktop ${d.id} is ${d.status}`;
}

/** A desktop being captured into an image cannot start, restart, re-image, go or be captured again (point 18). */
export function checkUnlocked(d: Desktop): void {
  if (d.lockedBy) throw new FailedPreconditionError(`Desktop ${d.id} is being copied to desktop image ${d.lockedBy}`);
}
