import { DesktopImageService } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { folder, read, res, write } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { COMPUTE_IMAGE } from '../../compute-image/domain/compute-image.js';
import { VDI, type Deps } from './deps.js';

export const copy = rpc(DesktopImageService.method.copy, {
  // Plus read on the source: the system images folder is readable by everyone.
  auth: [write(VDI, folder()), read('compute.images', res(COMPUTE_IMAGE, 'image_id'))],
  audit: 'CopyDesktopImage',
  handler: ({ images }: Deps) => (req, call) =>
    images.copy(
      { folderId: req.folderId, name: req.name, imageId: req.imageId, labels: { ...req.labels }, description: req.description },
      call.caller,
    ),
});
