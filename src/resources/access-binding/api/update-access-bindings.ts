import { FolderService } from '../../../gen/yandex/cloud/resourcemanager/v1/folder_service_pb.js';
import { AccessBindingAction } from '../../../gen/yandex/cloud/access/access_pb.js';
import { admin, folder } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { bindingInput } from './to-wire.js';
import { BINDINGS, type Deps } from './deps.js';

export const updateAccessBindings = rpc(FolderService.method.updateAccessBindings, {
  auth: [admin(BINDINGS, folder('resource_id'))],
  audit: 'UpdateFolderAccessBindings',
  handler: ({ bindings }: Deps) => (req, call) =>
    bindings.update(
      req.resourceId,
      req.accessBindingDeltas.map((d, i) => ({
        // `required` on the enum already refused ACCESS_BINDING_ACTION_UNSPECIFIED.
        action: d.action === AccessBindingAction.REMOVE ? 'REMOVE' : 'ADD',
        ...bindingInput(d.accessBinding!, `access_binding_deltas[${i}].access_binding`),
      })),
      call.caller,
    ),
});
