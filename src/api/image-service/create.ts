import { toJson } from '@bufbuild/protobuf';
import type { ComputeImages, CreateSource } from '../../domain/compute-image/compute-images.js';
import type { CreateImageRequest } from '../../gen/yandex/cloud/compute/v1/image_service_pb.js';
import { HardwareGenerationSchema } from '../../gen/yandex/cloud/compute/v1/hardware_generation_pb.js';
import { Os_Type } from '../../gen/yandex/cloud/compute/v1/image_pb.js';
import type { Operation } from '../../gen/yandex/cloud/operation/operation_pb.js';
import type { CallContext } from '../../transport/rpc.js';
import { callerOf } from '../caller.js';
import { operationToWire } from '../operation-service/to-wire.js';

export const create = (images: ComputeImages) => async (req: CreateImageRequest, ctx: CallContext): Promise<Operation> => {
  const s = req.source;
  const source: CreateSource =
    s.case === 'uri' ? { uri: s.value }
    : s.case === 'imageId' ? { imageId: s.value }
    : s.case === 'diskId' ? { diskId: s.value }
    : s.case === 'snapshotId' ? { snapshotId: s.value }
    : {};
  const op = await images.create(
    {
      folderId: req.folderId,
      name: req.name,
      description: req.description,
      labels: { ...req.labels },
      family: req.family,
      minDiskSize: Number(req.minDiskSize),
      productIds: [...req.productIds],
      os: req.os ? { type: Os_Type[req.os.type] as 'TYPE_UNSPECIFIED' | 'LINUX' | 'WINDOWS', nvidiaDriver: req.os.nvidia?.driver ?? '' } : null,
      pooled: req.pooled,
      hardwareGeneration: req.hardwareGeneration
        ? (toJson(HardwareGenerationSchema, req.hardwareGeneration) as Record<string, unknown>)
        : null,
      source,
    },
    callerOf(ctx),
  );
  return operationToWire(op);
};
