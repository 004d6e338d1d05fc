/** Domain Compute image → yandex.cloud.compute.v1.Image. */
import { create, fromJson } from '@bufbuild/protobuf';
import { ImageSchema, Image_Status, Os_Type, type Image } from '../../../gen/yandex/cloud/compute/v1/image_pb.js';
import { HardwareGenerationSchema } from '../../../gen/yandex/cloud/compute/v1/hardware_generation_pb.js';
import type { ComputeImage } from '../domain/compute-image.js';
import { ts } from '../../../api/wire.js';

export function computeImageToWire(i: ComputeImage): Image {
  return create(ImageSchema, {
    id: i.id,
    folderId: i.folderId,
    createdAt: ts(i.createdAt),
    name: i.name,
    description: i.description,
    labels: i.labels,
    family: i.family,
    storageSize: BigInt(i.storageSize),
    minDiskSize: BigInt(i.minDiskSize),
    productIds: i.productIds,
    status: Image_Status[i.status],
    os: i.os ? { type: Os_Type[i.os.type], nvidia: i.os.nvidiaDriver ? { driver: i.os.nvidiaDriver } : undefined } : undefined,
    pooled: i.pooled,
    hardwareGeneration: i.hardwareGeneration
      ? fromJson(HardwareGenerationSchema, i.hardwareGeneration as never)
      : undefined,
    size: BigInt(i.storageSize),
  });
}
