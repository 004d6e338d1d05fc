import { DesktopService } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_service_pb.js';
import { res, write } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { DESKTOP } from '../domain/desktop.js';
import { DESKTOPS, type Deps } from './deps.js';

export const updateProperties = rpc(DesktopService.method.updateProperties, {
  auth: [write(DESKTOPS, res(DESKTOP, 'desktop_id'))],
  audit: 'UpdateDesktopProperties',
  handler: ({ desktops }: Deps) => (req, call) =>
    desktops.updateProperties(
      { desktopId: req.desktopId, paths: req.updateMask?.paths ?? [], name: req.name, labels: { ...req.labels }, description: req.description },
      call.caller,
    ),
});
