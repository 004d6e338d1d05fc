import type { DesktopImages } from '../../domain/desktop-image/desktop-images.js';
import type { CopyDesktopImageRequest } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import type { Operation } from '../../gen/yandex/cloud/operation/operation_pb.js';
import type { CallContext } from '../../transport/rpc.js';
import { callerOf } from '../caller.js';
import { operationToWire } from '../operation-service/to-wire.js';

export const copy = (images: DesktopImages) => async (req: CopyDesktopImageRequest, ctx: CallContext): Promise<Operation> =>
  operationToWire(
    await images.copy(
      { folderId: req.folderId, name: req.name, imageId: req.imageId, labels: { ...req.labels }, description: req.description },
      callerOf(ctx),
    ),
  );
