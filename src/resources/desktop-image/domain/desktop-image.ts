/**
 * The desktop image: its entity as the domain sees it (the wire mapping lives in api/), the
 * fields List filters and sorts on, and its descriptor for the shared machinery.
 */
import type { ListFields } from '../../../domain/listing/list-query.js';
import { locatedIn, type ResourceDescriptor } from '../../../domain/resource.js';

export type DesktopImageStatus = 'CREATING' | 'ACTIVE' | 'DELETING';

export interface DesktopImage {
  id: string;
  folderId: string;
  name: string;
  description: string;
  labels: Record<string, string>;
  status: DesktopImageStatus;
  createdAt: Date;
  storageSize: number;
  minDiskSize: number;
  /** Content address of the bytes; shared with the Compute image it was copied from. */
  blobSha256: string | null;
  /** Compute image (or desktop) it was made from. */
  sourceId: string;
}

export const DESKTOP_IMAGE_LIST: ListFields<DesktopImage> = {
  kind: 'desktop-image',
  filter: ['name'],
  sort: { name: 'name', created_at: 'createdAt', status: 'status' },
  aliases: { createdAt: 'created_at' },
};

export const DESKTOP_IMAGE: ResourceDescriptor<DesktopImage> = {
  kind: 'desktopImage',
  label: 'desktop image',
  idPrefix: 'e3v',
  family: 'vdi.images',
  operationKinds: 'desktop-image.',
  response: 'yandex.cloud.clouddesktop.v1.api.DesktopImage',
  locate: async (tx, id) => locatedIn(await tx.desktopImages.get(id)),
  details: (i) => ({ desktop_image_id: i.id, desktop_image_name: i.name, folder_id: i.folderId }),
};
