import { DesktopService } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_service_pb.js';
import { res, use } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { DESKTOP } from '../domain/desktop.js';
import { DESKTOPS, type Deps } from './deps.js';

export const restart = rpc(DesktopService.method.restart, {
  auth: [use(DESKTOPS, res(DESKTOP, 'desktop_id'), { owner: true })],
  audit: 'RestartDesktop',
  handler: ({ power }: Deps) => (req, call) => power.restart(req.desktopId, call.caller),
});
