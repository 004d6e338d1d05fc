import { DesktopGroupService, ListDesktopGroupDesktopsResponseSchema } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_group_service_pb.js';
import { read, res } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { OWNED_BY } from '../../../api/caller.js';
import { listResponse, pageRequest } from '../../../api/wire.js';
import { desktopToWire } from '../../desktop/api/to-wire.js';
import { DESKTOP_GROUP } from '../domain/desktop-group.js';
import { DESKTOPS, type Deps } from './deps.js';

export const listDesktops = rpc(DesktopGroupService.method.listDesktops, {
  // A desktops user sees its own desktops of the group.
  auth: [read(DESKTOPS, res(DESKTOP_GROUP, 'desktop_group_id'), { owner: true })],
  handler: ({ groups }: Deps) => async (req, { ctx }) => {
    const ownedBy = ctx.values.get(OWNED_BY);
    const page = await groups.listDesktops({
      ...pageRequest(req), folderId: req.desktopGroupId, filter: req.filter, orderBy: req.orderBy, ...(ownedBy && { ownedBy }),
    });
    return listResponse(ListDesktopGroupDesktopsResponseSchema, 'desktops', page, desktopToWire);
  },
});
