/** The group's access bindings: roles there apply to the group and its desktops. */
import { DesktopGroupService } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_group_service_pb.js';
import { ListAccessBindingsResponseSchema } from '../../../gen/yandex/cloud/access/access_pb.js';
import { admin, read, res } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { listResponse, pageRequest } from '../../../api/wire.js';
import { accessBindingToWire, bindingInputs, deltaInputs } from '../../access-binding/api/to-wire.js';
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
    bindings.set(req.resourceId, bindingInputs(req), call.caller),
});

export const updateAccessBindings = rpc(DesktopGroupService.method.updateAccessBindings, {
  auth: [admin(DESKTOPS, res(DESKTOP_GROUP, 'resource_id'))],
  audit: 'UpdateDesktopGroupAccessBindings',
  handler: ({ bindings }: Deps) => (req, call) => bindings.update(req.resourceId, deltaInputs(req), call.caller),
});
