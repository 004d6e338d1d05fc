import type { DesktopImages } from '../../domain/desktop-image/desktop-images.js';
import type { CopyFromDesktopRequest } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import type { Operation } from '../../gen/yandex/cloud/operation/operation_pb.js';
import { operationToWire } from '../operation-service/to-wire.js';

export const copyFromDesktop = (images: DesktopImages) => async (req: CopyFromDesktopRequest): Promise<Operation> =>
  operationToWire(await images.copyFromDesktop({ desktopId: req.desktopId, folderId: req.folderId }));
