import { DesktopGroupService } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_group_service_pb.js';
import { read, res } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { DESKTOP_GROUP } from '../domain/desktop-group.js';
import { desktopGroupToWire } from './to-wire.js';
import { DESKTOPS, type Deps } from './deps.js';

export const get = rpc(DesktopGroupService.method.get, {
  auth: [read(DESKTOPS, res(DESKTOP_GROUP, 'desktop_group_id'))],
  handler: ({ groups }: Deps) => async (req) => desktopGroupToWire(await groups.get(req.desktopGroupId)),
});
