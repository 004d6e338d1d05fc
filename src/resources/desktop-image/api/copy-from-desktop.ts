import { DesktopImageService } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { folder, res, write } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { DESKTOP } from '../../desktop/domain/desktop.js';
import { VDI, type Deps } from './deps.js';

export const copyFromDesktop = rpc(DesktopImageService.method.copyFromDesktop, {
  // Without folder_id the image goes to the desktop's folder.
  auth: [write(VDI, folder('folder_id', true)), write(VDI, res(DESKTOP, 'desktop_id'))],
  audit: 'CopyDesktopImageFromDesktop',
  handler: ({ images }: Deps) => (req) => images.copyFromDesktop({ desktopId: req.desktopId, folderId: req.folderId }),
});
