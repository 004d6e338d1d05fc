import { DesktopService } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_service_pb.js';
import { read, res } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { DESKTOP } from '../domain/desktop.js';
import { desktopToWire } from './to-wire.js';
import { DESKTOPS, type Deps } from './deps.js';

export const get = rpc(DesktopService.method.get, {
  // A desktop's users may read it.
  auth: [read(DESKTOPS, res(DESKTOP, 'desktop_id'), { owner: true })],
  handler: ({ desktops }: Deps) => async (req) => desktopToWire(await desktops.get(req.desktopId)),
});
