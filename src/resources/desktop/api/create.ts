import { DesktopService } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_service_pb.js';
import { res, write } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { DESKTOP_GROUP } from '../../desktop-group/domain/desktop-group.js';
import { userOf } from './to-wire.js';
import { DESKTOPS, type Deps } from './deps.js';

export const create = rpc(DesktopService.method.create, {
  auth: [write(DESKTOPS, res(DESKTOP_GROUP, 'desktop_group_id'))],
  audit: 'CreateDesktop',
  handler: ({ desktops }: Deps) => (req, call) =>
    desktops.create(
      {
        desktopGroupId: req.desktopGroupId, subnetId: req.subnetId, users: req.users.map(userOf),
        name: req.name, labels: { ...req.labels }, description: req.description,
      },
      call.caller,
    ),
});
