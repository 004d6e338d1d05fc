import type { DesktopImages } from '../../domain/desktop-image/desktop-images.js';
import type { GetDesktopImageRequest } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import type { DesktopImage } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_image_pb.js';
import { desktopImageToWire } from './to-wire.js';

export const get = (images: DesktopImages) => async (req: GetDesktopImageRequest): Promise<DesktopImage> =>
  desktopImageToWire(await images.get(req.imageId));
