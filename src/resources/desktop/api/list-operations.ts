import { DesktopService, ListDesktopOperationsResponseSchema } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_service_pb.js';
import { read, res } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { listResponse, pageRequest } from '../../../api/wire.js';
import { DESKTOP } from '../domain/desktop.js';
import { DESKTOPS, type Deps } from './deps.js';

export const listOperations = rpc(DesktopService.method.listOperations, {
  auth: [read(DESKTOPS, res(DESKTOP, 'desktop_id'))],
  handler: ({ desktops, wire }: Deps) => async (req) =>
    listResponse(ListDesktopOperationsResponseSchema, 'operations', await desktops.listOperations(req.desktopId, pageRequest(req)), (op) => wire.toWire(op)),
});
