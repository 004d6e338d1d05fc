import { DesktopImageService } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { res, write } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { DESKTOP_IMAGE } from '../domain/desktop-image.js';
import { VDI, type Deps } from './deps.js';

export const update = rpc(DesktopImageService.method.update, {
  auth: [write(VDI, res(DESKTOP_IMAGE, 'image_id'))],
  audit: 'UpdateDesktopImage',
  handler: ({ images }: Deps) => (req, call) =>
    images.update(
      { imageId: req.imageId, paths: req.updateMask?.paths ?? [], name: req.name, labels: { ...req.labels }, description: req.description },
      call.caller,
    ),
});
