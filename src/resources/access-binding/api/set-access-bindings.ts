import { FolderService } from '../../../gen/yandex/cloud/resourcemanager/v1/folder_service_pb.js';
import { admin, folder } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { bindingInputs } from './to-wire.js';
import { BINDINGS, type Deps } from './deps.js';

export const setAccessBindings = rpc(FolderService.method.setAccessBindings, {
  auth: [admin(BINDINGS, folder('resource_id'))],
  audit: 'SetFolderAccessBindings',
  handler: ({ bindings }: Deps) => (req, call) =>
    bindings.set(req.resourceId, bindingInputs(req), call.caller),
});
