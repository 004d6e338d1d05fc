/** The group's access bindings: roles there apply to the group and its desktops. */
import { DesktopGroupService } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_group_service_pb.js';
import { AccessBindingAction, ListAccessBindingsResponseSchema } from '../../../gen/yandex/cloud/access/access_pb.js';
import { admin, read, res } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { listResponse, pageRequest } from '../../../api/wire.js';
import { accessBindingToWire, bindingInput } from '../../access-binding/api/to-wire.js';
import { DESKTOP_GROUP } from '../domain/desktop-group.js';
import { DESKTOPS, type Deps } from './deps.js';

export const listAccessBindings = rpc(DesktopGroupService.method.listAccessBindings, {
  auth: [read(DESKTOPS, res(DESKTOP_GROUP, 'resource_id'))],
  handler: ({ bindings }: Deps) => async (req) =>
    listResponse(ListAccessBindingsResponseSchema, 'accessBindings', await bindings.list(req.resourceId, pageRequest(req)), accessBindingToWire),
});

export const setAccessBindings = rpc(DesktopGroupService.method.setAccessBindings, {
  auth: [admin(DESKTOPS, res(DESKTOP_GROUP, 'resource_id'))],
  audit: 'SetDesktopGroupAccessBindings',
  handler: ({ bindings }: Deps) => (req, call) =>
    bindings.set(req.resourceId, req.accessBindings.map((b, i) => bindingInput(b, `access_bindings[${i}]`)), call.caller),
});

export const updateAccessBindings = rpc(DesktopGroupService.method.updateAccessBindings, {
  auth: [admin(DESKTOPS, res(DESKTOP_GROUP, 'resource_id'))],
  audit: 'UpdateDesktopGroupAccessBindings',
  handler: ({ bindings }: Deps) => (req, call) =>
    bindings.update(
      req.resourceId,
      req.accessBindingDeltas.map((d, i) => ({
        action: d.action === AccessBindingAction.REMOVE ? 'REMOVE' : 'ADD',
        ...bindingInput(d.accessBinding!, `access_binding_deltas[${i}].access_binding`),
      })),
      call.caller,
    ),
});
