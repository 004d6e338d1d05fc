/**
 * The Compute image (yandex.cloud.compute.v1.Image) as the domain sees it: the source desktop
 * images are copied from. Its List fields and its descriptor for the shared machinery.
 */
import type { ListFields } from '../../../domain/listing/list-query.js';
import { locatedIn, type ResourceDescriptor } from '../../../domain/resource.js';

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

/** Compute's documented default order is by id. */
export const COMPUTE_IMAGE_LIST: ListFields<ComputeImage> = {
  kind: 'compute-image',
  filter: ['name', 'family'],
  sort: { name: 'name', created_at: 'createdAt', status: 'status', family: 'family' },
  aliases: { createdAt: 'created_at' },
  defaultOrder: [{ field: 'id', desc: false }],
};

export const COMPUTE_IMAGE: ResourceDescriptor<ComputeImage> = {
  kind: 'computeImage',
  label: 'image',
  idPrefix: 'fd8',
  family: 'compute.images',
  operationKinds: 'compute-image.',
  response: 'yandex.cloud.compute.v1.Image',
  locate: async (tx, id) => locatedIn(await tx.computeImages.get(id)),
  details: (i) => ({ image_id: i.id, image_name: i.name, folder_id: i.folderId }),
};
