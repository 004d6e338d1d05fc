import { DesktopGroupService, ListDesktopGroupOperationsResponseSchema } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_group_service_pb.js';
import { read, res } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { listResponse, pageRequest } from '../../../api/wire.js';
import { DESKTOP_GROUP } from '../domain/desktop-group.js';
import { DESKTOPS, type Deps } from './deps.js';

/** The group's own operations; each desktop's are under the desktop (docs/decisions.md point 21). */
export const listOperations = rpc(DesktopGroupService.method.listOperations, {
  auth: [read(DESKTOPS, res(DESKTOP_GROUP, 'desktop_group_id'))],
  handler: ({ groups, wire }: Deps) => async (req) =>
    listResponse(ListDesktopGroupOperationsResponseSchema, 'operations', await groups.listOperations(req.desktopGroupId, pageRequest(req)), (op) => wire.toWire(op)),
});
