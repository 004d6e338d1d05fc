/**
 * yandex.cloud.clouddesktop.v1.api.DesktopImageService: handlers registered against the
 * generated service descriptor, one file per RPC.
 */
import type { Router } from '../../transport/rpc.js';
import { DesktopImageService } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import type { DesktopImages } from '../../domain/desktop-image/desktop-images.js';
import { list } from './list.js';
import { get } from './get.js';
import { copy } from './copy.js';
import { copyFromDesktop } from './copy-from-desktop.js';
import { update } from './update.js';
import { remove } from './delete.js';

export function registerDesktopImageService(router: Router, images: DesktopImages): void {
  router.add(DesktopImageService, {
    list: list(images),
    get: get(images),
    copy: copy(images),
    copyFromDesktop: copyFromDesktop(images),
    update: update(images),
    delete: remove(images),
  });
}
