/**
 * The `details` of image events: which resource, by id and name, in which folder (our design
 * for the part of the envelope the Audit Trails docs leave to each service, api-conventions
 * 11.2). The final event of an operation takes them from the operation's response, so an
 * Update's DONE event shows the new name.
 */
import type { DesktopImage } from '../desktop-image/desktop-image.js';
import type { ComputeImage } from '../compute-image/compute-image.js';
import type { OperationResponse } from '../operation/operation.js';

export type Details = Record<string, unknown>;

export function desktopImageDetails(i: Pick<DesktopImage, 'id' | 'name' | 'folderId'>): Details {
  return { desktop_image_id: i.id, desktop_image_name: i.name, folder_id: i.folderId };
}

export function computeImageDetails(i: Pick<ComputeImage, 'id' | 'name' | 'folderId'>): Details {
  return { image_id: i.id, image_name: i.name, folder_id: i.folderId };
}

/** Details refreshed from what an operation returned; {} when it returned nothing to show. */
export function detailsOfResponse(response: OperationResponse): Details {
  switch (response.type) {
    case 'yandex.cloud.clouddesktop.v1.api.DesktopImage':
      return desktopImageDetails(response.value);
    case 'yandex.cloud.compute.v1.Image':
      return computeImageDetails(response.value);
    default:
      return {};
  }
}
