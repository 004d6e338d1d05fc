import { DesktopGroupService } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_group_service_pb.js';
import { res, write } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { DESKTOP_GROUP } from '../domain/desktop-group.js';
import { DESKTOPS, type Deps } from './deps.js';

export const remove = rpc(DesktopGroupService.method.delete, {
  auth: [write(DESKTOPS, res(DESKTOP_GROUP, 'desktop_group_id'))],
  audit: 'DeleteDesktopGroup',
  handler: ({ groups }: Deps) => (req, call) => groups.delete(req.desktopGroupId, call.caller),
});
