import { toJson } from '@bufbuild/protobuf';
import { ImageService } from '../../../gen/yandex/cloud/compute/v1/image_service_pb.js';
import { HardwareGenerationSchema } from '../../../gen/yandex/cloud/compute/v1/hardware_generation_pb.js';
import { Os_Type } from '../../../gen/yandex/cloud/compute/v1/image_pb.js';
import { folder, read, res, write } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import type { CreateSource } from '../domain/compute-images.js';
import { COMPUTE_IMAGE, type OsType } from '../domain/compute-image.js';
import { COMPUTE, type Deps } from './deps.js';

export const create = rpc(ImageService.method.create, {
  // Plus read on the source image when copying one.
  auth: [write(COMPUTE, folder()), read(COMPUTE, res(COMPUTE_IMAGE, 'image_id'))],
  audit: 'CreateImage',
  handler: ({ images }: Deps) => (req, call) => {
    const s = req.source;
    const source: CreateSource =
      s.case === 'uri' ? { uri: s.value }
      : s.case === 'imageId' ? { imageId: s.value }
      : s.case === 'diskId' ? { diskId: s.value }
      : s.case === 'snapshotId' ? { snapshotId: s.value }
      : {};
    return images.create(
      {
        folderId: req.folderId,
        name: req.name,
        description: req.description,
        labels: { ...req.labels },
        family: req.family,
        minDiskSize: Number(req.minDiskSize),
        productIds: [...req.productIds],
        os: req.os ? { type: Os_Type[req.os.type] as OsType, nvidiaDriver: req.os.nvidia?.driver ?? '' } : null,
        pooled: req.pooled,
        hardwareGeneration: req.hardwareGeneration
          ? (toJson(HardwareGenerationSchema, req.hardwareGeneration) as Record<string, unknown>)
          : null,
        source,
      },
      call.caller,
    );
  },
});
