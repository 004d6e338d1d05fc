import { DesktopService } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_service_pb.js';
import { res, write } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { DESKTOP } from '../domain/desktop.js';
import { DESKTOPS, type Deps } from './deps.js';

/** Re-syncs the desktop with its group: resources and image. */
export const update = rpc(DesktopService.method.update, {
  auth: [write(DESKTOPS, res(DESKTOP, 'desktop_id'))],
  audit: 'UpdateDesktop',
  handler: ({ power }: Deps) => (req, call) => power.update(req.desktopId, call.caller),
});
