/**
 * yandex.cloud.resourcemanager.v1.FolderService: the access-binding RPCs, on any folder id
 * (folders need no creating, docs/decisions.md point 4). Get, Update, Delete and ListOperations
 * answer UNIMPLEMENTED; List and Create are for the bootstrap credential and unimplemented too.
 */
import { FolderService } from '../../../gen/yandex/cloud/resourcemanager/v1/folder_service_pb.js';
import { AccessBindingsOperationResultSchema } from '../../../gen/yandex/cloud/access/access_pb.js';
import { admin, folder, read, write } from '../../../api/authz/rules.js';
import { defineService, unimplemented } from '../../../api/service.js';
import { responseBinding } from '../../../api/operation-wire.js';
import { accessBindingsResultToWire } from './to-wire.js';
import { FOLDERS } from './deps.js';
import { listAccessBindings } from './list-access-bindings.js';
import { setAccessBindings } from './set-access-bindings.js';
import { updateAccessBindings } from './update-access-bindings.js';

export const folderService = defineService(FolderService, {
  auditSource: 'resourcemanager',
  // Event ids look like the cloud's folder ids.
  eventIdPrefix: 'b1g',
  rpcs: {
    get: unimplemented([read(FOLDERS, folder())]),
    list: unimplemented('installation'),
    create: unimplemented('installation'),
    update: unimplemented([write(FOLDERS, folder())]),
    delete: unimplemented([admin(FOLDERS, folder())]),
    listOperations: unimplemented([read(FOLDERS, folder())]),
    listAccessBindings,
    setAccessBindings,
    updateAccessBindings,
  },
});

export const accessBindingsResponse = responseBinding(AccessBindingsOperationResultSchema, accessBindingsResultToWire);
