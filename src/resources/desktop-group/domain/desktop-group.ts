/**
 * The desktop group: a pool of desktops made alike from one desktop image (its resources, disks,
 * network, members, schedule), its List fields and its descriptor. Roles bound on a group apply
 * to the group and its desktops (docs/decisions.md point 21).
 */
import type { ListFields } from '../../../domain/listing/list-query.js';
import type { ResourceDescriptor } from '../../../domain/resource.js';

export type DesktopGroupStatus = 'CREATING' | 'ACTIVE' | 'DELETING' | 'UPDATING';
export type DiskType = 'HDD' | 'SSD';
export type DesktopType = 'PERSISTENT' | 'NON_PERSISTENT';
export type UpdatePolicy = 'AUTO' | 'MANUAL';

/** Sizes in bytes, like every size in the API. */
export interface DiskSpec {
  type: DiskType;
  size: number;
}

export interface ResourcesSpec {
  /** Bytes. */
  memory: number;
  cores: number;
  /** Guaranteed share of each core, percent. */
  coreFraction: number;
}

export interface NetworkSpec {
  networkId: string;
  subnetIds: string[];
}

export interface Lifetime {
  timeZone: string;
  cronStart: string;
  cronStop: string;
}

export interface Member {
  id: string;
  type: string;
}

export interface GroupConfig {
  minReadyDesktops: number;
  /** As given; 0 means the limit of 512 (effectiveMax). */
  maxDesktopsAmount: number;
  desktopType: DesktopType;
  members: Member[];
  lifetime: Lifetime | null;
}

export interface DesktopGroup {
  id: string;
  folderId: string;
  createdAt: Date;
  status: DesktopGroupStatus;
  name: string;
  description: string;
  labels: Record<string, string>;
  /** The image new desktops are made from (not on the wire: DesktopGroup has no such field). */
  desktopImageId: string;
  resources: ResourcesSpec;
  network: NetworkSpec | null;
  bootDisk: DiskSpec;
  dataDisk: DiskSpec | null;
  config: GroupConfig;
  updatePolicy: UpdatePolicy;
}

export const MAX_DESKTOPS = 512;

export function effectiveMax(g: DesktopGroup): number {
  return g.config.maxDesktopsAmount === 0 ? MAX_DESKTOPS : g.config.maxDesktopsAmount;
}

export const DESKTOP_GROUP_LIST: ListFields<DesktopGroup> = {
  kind: 'desktop-group',
  filter: ['name'],
  sort: { name: 'name', created_at: 'createdAt', status: 'status' },
  aliases: { createdAt: 'created_at' },
};

/** Bindings on a group are stored under this scope type. */
export const GROUP_SCOPE = 'desktopGroup';

export const DESKTOP_GROUP: ResourceDescriptor<DesktopGroup> = {
  kind: 'desktopGroup',
  label: 'desktop group',
  idPrefix: 'e3v',
  family: 'vdi.desktops',
  operationKinds: 'desktop-group.',
  response: 'yandex.cloud.clouddesktop.v1.api.DesktopGroup',
  async locate(tx, id) {
    const g = await tx.desktopGroups.get(id);
    return g && { folderId: g.folderId, scopes: [{ type: GROUP_SCOPE, id: g.id }] };
  },
  details: (g) => ({ desktop_group_id: g.id, desktop_group_name: g.name, folder_id: g.folderId }),
};
