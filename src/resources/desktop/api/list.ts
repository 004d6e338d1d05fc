import { DesktopService, ListDesktopsResponseSchema } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_service_pb.js';
import { folder, read } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { OWNED_BY } from '../../../api/caller.js';
import { listRequest, listResponse } from '../../../api/wire.js';
import { desktopToWire } from './to-wire.js';
import { DESKTOPS, type Deps } from './deps.js';

export const list = rpc(DesktopService.method.list, {
  // A desktops user sees its own desktops.
  auth: [read(DESKTOPS, folder(), { owner: true })],
  handler: ({ desktops }: Deps) => async (req, { ctx }) => {
    const ownedBy = ctx.values.get(OWNED_BY);
    const page = await desktops.list({ ...listRequest(req), ...(ownedBy && { ownedBy }) });
    return listResponse(ListDesktopsResponseSchema, 'desktops', page, desktopToWire);
  },
});
