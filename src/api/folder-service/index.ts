/**
 * yandex.cloud.resourcemanager.v1.FolderService: the access-binding RPCs, on any folder id
 * (folders need no creating, decisions.md point 4). Get, List, Create, Update, Delete and
 * ListOperations answer UNIMPLEMENTED.
 */
import { create } from '@bufbuild/protobuf';
import type { Router } from '../../transport/rpc.js';
import { FolderService } from '../../gen/yandex/cloud/resourcemanager/v1/folder_service_pb.js';
import { AccessBindingAction, ListAccessBindingsResponseSchema } from '../../gen/yandex/cloud/access/access_pb.js';
import type { AccessBindings } from '../../domain/iam/access-bindings.js';
import { callerOf } from '../caller.js';
import { operationToWire } from '../operation-service/to-wire.js';
import { accessBindingToWire, bindingInput } from './to-wire.js';

export function registerFolderService(router: Router, bindings: AccessBindings): void {
  router.add(FolderService, {
    listAccessBindings: async (req) => {
      const page = await bindings.list(req.resourceId, req.pageSize, req.pageToken);
      return create(ListAccessBindingsResponseSchema, {
        accessBindings: page.items.map(accessBindingToWire),
        nextPageToken: page.nextPageToken,
      });
    },
    setAccessBindings: async (req, ctx) =>
      operationToWire(
        await bindings.set(
          req.resourceId,
          req.accessBindings.map((b, i) => bindingInput(b, `access_bindings[${i}]`)),
          callerOf(ctx),
        ),
      ),
    updateAccessBindings: async (req, ctx) =>
      operationToWire(
        await bindings.update(
          req.resourceId,
          req.accessBindingDeltas.map((d, i) => ({
            // `required` on the enum already refused ACCESS_BINDING_ACTION_UNSPECIFIED.
            action: d.action === AccessBindingAction.REMOVE ? 'REMOVE' : 'ADD',
            ...bindingInput(d.accessBinding!, `access_binding_deltas[${i}].access_binding`),
          })),
          callerOf(ctx),
        ),
      ),
  });
}
