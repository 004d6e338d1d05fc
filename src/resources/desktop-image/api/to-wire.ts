/** Domain desktop image → yandex.cloud.clouddesktop.v1.api.DesktopImage. */
import { create } from '@bufbuild/protobuf';
import { DesktopImageSchema, DesktopImage_Status, type DesktopImage as WireDesktopImage } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_image_pb.js';
import type { DesktopImage } from '../domain/desktop-image.js';
import { memoWire, ts } from '../../../api/wire.js';

/** Made once per cached row (memoWire): a List page reuses the encodings of its images. */
export const desktopImageToWire = memoWire((i: DesktopImage): WireDesktopImage =>
  create(DesktopImageSchema, {
    id: i.id,
    folderId: i.folderId,
    createdAt: ts(i.createdAt),
    status: DesktopImage_Status[i.status],
    name: i.name,
    labels: i.labels,
    storageSize: BigInt(i.storageSize),
    minDiskSize: BigInt(i.minDiskSize),
    description: i.description,
  }),
);
