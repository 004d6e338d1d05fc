import type { DesktopImages } from '../../domain/desktop-image/desktop-images.js';
import type { ListDesktopImagesRequest, ListDesktopImagesResponse } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { ListDesktopImagesResponseSchema } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { create } from '@bufbuild/protobuf';
import { desktopImageToWire } from './to-wire.js';

export const list = (images: DesktopImages) => async (req: ListDesktopImagesRequest): Promise<ListDesktopImagesResponse> => {
  const page = await images.list(req);
  return create(ListDesktopImagesResponseSchema, {
    desktopImages: page.items.map(desktopImageToWire),
    nextPageToken: page.nextPageToken,
  });
};
