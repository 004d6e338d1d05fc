import { DesktopImageService, ListDesktopImagesResponseSchema } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { folder, read } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { listRequest, listResponse } from '../../../api/wire.js';
import { desktopImageToWire } from './to-wire.js';
import { VDI, type Deps } from './deps.js';

export const list = rpc(DesktopImageService.method.list, {
  auth: [read(VDI, folder())],
  handler: ({ images }: Deps) => async (req) =>
    listResponse(ListDesktopImagesResponseSchema, 'desktopImages', await images.list(listRequest(req)), desktopImageToWire),
});
