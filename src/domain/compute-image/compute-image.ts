/** The Compute image entity (yandex.cloud.compute.v1.Image) as the domain sees it. */
export type ComputeImageStatus = 'CREATING' | 'READY' | 'ERROR' | 'DELETING';
export type OsType = 'TYPE_UNSPECIFIED' | 'LINUX' | 'WINDOWS';

export interface ComputeImage {
  id: string;
  folderId: string;
  name: string;
  description: string;
  labels: Record<string, string>;
  family: string;
  status: ComputeImageStatus;
  createdAt: Date;
  storageSize: number;
  minDiskSize: number;
  productIds: string[];
  os: { type: OsType; nvidiaDriver: string } | null;
  pooled: boolean;
  /** The hardware_generation message as proto JSON, kept as given. */
  hardwareGeneration: Record<string, unknown> | null;
  blobSha256: string | null;
  /** Where the bytes came from: `uri:<url>` or `image:<id>`. */
  source: string;
}

export const COMPUTE_IMAGE_ORDER_FIELDS: Record<string, string> = {
  name: 'name',
  created_at: 'created_at',
  createdAt: 'created_at',
  status: 'status',
  family: 'family',
};
export const COMPUTE_IMAGE_FILTER_FIELDS = ['name', 'family'] as const;
