import { DesktopImageService } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { read, res } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { DESKTOP_IMAGE } from '../domain/desktop-image.js';
import { desktopImageToWire } from './to-wire.js';
import { VDI, type Deps } from './deps.js';

export const get = rpc(DesktopImageService.method.get, {
  auth: [read(VDI, res(DESKTOP_IMAGE, 'image_id'))],
  handler: ({ images }: Deps) => async (req) => desktopImageToWire(await images.get(req.imageId)),
});
