import { DesktopService } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_service_pb.js';
import { res, write } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { DESKTOP } from '../domain/desktop.js';
import { DESKTOPS, type Deps } from './deps.js';

export const remove = rpc(DesktopService.method.delete, {
  auth: [write(DESKTOPS, res(DESKTOP, 'desktop_id'))],
  audit: 'DeleteDesktop',
  handler: ({ desktops }: Deps) => (req, call) => desktops.delete(req.desktopId, call.caller),
});
