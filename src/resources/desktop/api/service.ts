/**
 * yandex.cloud.clouddesktop.v1.api.DesktopService: one file per RPC. Start, Stop, Restart,
 * GetRdpFile and ResetPassword are open to a desktop's users (vdi.desktopGroups.user) and to
 * whoever may operate any desktop there (maintainer, editor, admin).
 */
import { DesktopService } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_service_pb.js';
import { DesktopSchema } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_pb.js';
import { defineService } from '../../../api/service.js';
import { responseBinding } from '../../../api/operation-wire.js';
import { DESKTOP } from '../domain/desktop.js';
import { desktopToWire } from './to-wire.js';
import { get } from './get.js';
import { getRdpFile } from './get-rdp-file.js';
import { list } from './list.js';
import { listOperations } from './list-operations.js';
import { create } from './create.js';
import { resetPassword } from './reset-password.js';
import { restart } from './restart.js';
import { start } from './start.js';
import { stop } from './stop.js';
import { update } from './update.js';
import { updateProperties } from './update-properties.js';
import { remove } from './delete.js';

export const desktopService = defineService(DesktopService, {
  auditSource: 'clouddesktop',
  eventIdPrefix: DESKTOP.idPrefix,
  rpcs: { get, getRdpFile, list, listOperations, create, resetPassword, restart, start, stop, update, updateProperties, delete: remove },
});

export const desktopResponse = responseBinding(DesktopSchema, desktopToWire);
