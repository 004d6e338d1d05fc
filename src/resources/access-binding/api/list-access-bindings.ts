import { FolderService } from '../../../gen/yandex/cloud/resourcemanager/v1/folder_service_pb.js';
import { ListAccessBindingsResponseSchema } from '../../../gen/yandex/cloud/access/access_pb.js';
import { folder, read } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { listResponse, pageRequest } from '../../../api/wire.js';
import { accessBindingToWire } from './to-wire.js';
import { BINDINGS, type Deps } from './deps.js';

export const listAccessBindings = rpc(FolderService.method.listAccessBindings, {
  auth: [read(BINDINGS, folder('resource_id'))],
  handler: ({ bindings }: Deps) => async (req) =>
    listResponse(ListAccessBindingsResponseSchema, 'accessBindings', await bindings.list(req.resourceId, pageRequest(req)), accessBindingToWire),
});
