/** The desktop image entity as the domain sees it (wire mapping lives in api/). */
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

/** Sortable and filterable fields of List, by the spellings clients use. */
export const DESKTOP_IMAGE_ORDER_FIELDS: Record<string, string> = {
  name: 'name',
  created_at: 'created_at',
  createdAt: 'created_at',
  status: 'status',
};
export const DESKTOP_IMAGE_FILTER_FIELDS = ['name'] as const;
