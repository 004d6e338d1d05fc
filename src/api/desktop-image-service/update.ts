import type { DesktopImages } from '../../domain/desktop-image/desktop-images.js';
import type { UpdateDesktopImageRequest } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import type { Operation } from '../../gen/yandex/cloud/operation/operation_pb.js';
import type { CallContext } from '../../transport/rpc.js';
import { callerOf } from '../caller.js';
import { operationToWire } from '../operation-service/to-wire.js';

export const update = (images: DesktopImages) => async (req: UpdateDesktopImageRequest, ctx: CallContext): Promise<Operation> =>
  operationToWire(
    await images.update(
      {
        imageId: req.imageId,
        paths: req.updateMask?.paths ?? [],
        name: req.name,
        labels: { ...req.labels },
        description: req.description,
      },
      callerOf(ctx),
    ),
  );
