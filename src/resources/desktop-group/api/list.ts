import { DesktopGroupService, ListDesktopGroupsResponseSchema } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_group_service_pb.js';
import { folder, read } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { listRequest, listResponse } from '../../../api/wire.js';
import { desktopGroupToWire } from './to-wire.js';
import { DESKTOPS, type Deps } from './deps.js';

export const list = rpc(DesktopGroupService.method.list, {
  auth: [read(DESKTOPS, folder())],
  handler: ({ groups }: Deps) => async (req) =>
    listResponse(ListDesktopGroupsResponseSchema, 'desktopGroups', await groups.list(listRequest(req)), desktopGroupToWire),
});
