/** yandex.cloud.clouddesktop.v1.api.DesktopGroupService: one file per RPC (bindings together). */
import { DesktopGroupService } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_group_service_pb.js';
import { DesktopGroupSchema } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_group_pb.js';
import { defineService } from '../../../api/service.js';
import { responseBinding } from '../../../api/operation-wire.js';
import { DESKTOP_GROUP } from '../domain/desktop-group.js';
import { desktopGroupToWire } from './to-wire.js';
import { get } from './get.js';
import { list } from './list.js';
import { listDesktops } from './list-desktops.js';
import { listOperations } from './list-operations.js';
import { create } from './create.js';
import { update } from './update.js';
import { remove } from './delete.js';
import { listAccessBindings, setAccessBindings, updateAccessBindings } from './access-bindings.js';

export const desktopGroupService = defineService(DesktopGroupService, {
  auditSource: 'clouddesktop',
  eventIdPrefix: DESKTOP_GROUP.idPrefix,
  rpcs: { get, list, listDesktops, listOperations, create, delete: remove, update, listAccessBindings, setAccessBindings, updateAccessBindings },
});

export const desktopGroupResponse = responseBinding(DesktopGroupSchema, desktopGroupToWire);
