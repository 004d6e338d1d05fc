import { DesktopImageService } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { res, write } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { DESKTOP_IMAGE } from '../domain/desktop-image.js';
import { VDI, type Deps } from './deps.js';

export const remove = rpc(DesktopImageService.method.delete, {
  auth: [write(VDI, res(DESKTOP_IMAGE, 'image_id'))],
  audit: 'DeleteDesktopImage',
  handler: ({ images }: Deps) => (req, call) => images.delete(req.imageId, call.caller),
});
