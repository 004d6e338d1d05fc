import { DesktopImageService } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { folder, read, res, write } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { DESKTOP } from '../../desktop/domain/desktop.js';
import { VDI, type Deps } from './deps.js';

export const copyFromDesktop = rpc(DesktopImageService.method.copyFromDesktop, {
  // Read on the desktop; write on the image's folder, which is the desktop's without folder_id.
  auth: [
    write(VDI, folder('folder_id', true)),
    read('vdi.desktops', res(DESKTOP, 'desktop_id')),
    write(VDI, res(DESKTOP, 'desktop_id'), { whenEmpty: 'folder_id' }),
  ],
  audit: 'CopyDesktopImageFromDesktop',
  handler: ({ images }: Deps) => (req, call) =>
    images.copyFromDesktop(
      { desktopId: req.desktopId, folderId: req.folderId, name: req.name, labels: { ...req.labels }, description: req.description },
      call.caller,
    ),
});
