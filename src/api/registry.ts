/** Every message type clouddesk can pack into google.protobuf.Any (operation metadata/response). */
import { createRegistry } from '@bufbuild/protobuf';
import { file_google_protobuf_empty } from '@bufbuild/protobuf/wkt';
import { file_yandex_cloud_clouddesktop_v1_desktop_image_service } from '../gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { file_yandex_cloud_compute_v1_image_service } from '../gen/yandex/cloud/compute/v1/image_service_pb.js';
import { file_yandex_cloud_access_access } from '../gen/yandex/cloud/access/access_pb.js';
import { file_google_rpc_error_details } from '../gen/google/rpc/error_details_pb.js';

export const typeRegistry = createRegistry(
  file_google_protobuf_empty,
  file_yandex_cloud_clouddesktop_v1_desktop_image_service,
  file_yandex_cloud_compute_v1_image_service,
  file_yandex_cloud_access_access,
  file_google_rpc_error_details,
);
