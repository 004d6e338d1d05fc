import { FolderService } from '../../../gen/yandex/cloud/resourcemanager/v1/folder_service_pb.js';
import { admin, folder } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { deltaInputs } from './to-wire.js';
import { BINDINGS, type Deps } from './deps.js';

export const updateAccessBindings = rpc(FolderService.method.updateAccessBindings, {
  auth: [admin(BINDINGS, folder('resource_id'))],
  audit: 'UpdateFolderAccessBindings',
  handler: ({ bindings }: Deps) => (req, call) => bindings.update(req.resourceId, deltaInputs(req), call.caller),
});
