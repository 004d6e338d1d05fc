/**
 * yandex.cloud.clouddesktop.v1.api.DesktopImageService: one file per RPC, each with its rule,
 * its audit event and its handler.
 */
import { DesktopImageService } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { DesktopImageSchema } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_image_pb.js';
import { defineService } from '../../../api/service.js';
import { responseBinding } from '../../../api/operation-wire.js';
import { DESKTOP_IMAGE } from '../domain/desktop-image.js';
import { desktopImageToWire } from './to-wire.js';
import { list } from './list.js';
import { get } from './get.js';
import { copy } from './copy.js';
import { copyFromDesktop } from './copy-from-desktop.js';
import { update } from './update.js';
import { remove } from './delete.js';

export const desktopImageService = defineService(DesktopImageService, {
  auditSource: 'clouddesktop',
  eventIdPrefix: DESKTOP_IMAGE.idPrefix,
  rpcs: { list, get, copy, copyFromDesktop, update, delete: remove },
});

export const desktopImageResponse = responseBinding(DesktopImageSchema, desktopImageToWire);
