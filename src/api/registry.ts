/**
 * Every message type clouddesk can pack into google.protobuf.Any (operation metadata/response):
 * the listed files and everything they import (a registry built from a file holds only that
 * file's own types).
 */
import { createRegistry, type DescFile } from '@bufbuild/protobuf';
import { file_google_protobuf_empty } from '@bufbuild/protobuf/wkt';
import { file_yandex_cloud_clouddesktop_v1_desktop_image_service } from '../gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { file_yandex_cloud_compute_v1_image_service } from '../gen/yandex/cloud/compute/v1/image_service_pb.js';
import { file_yandex_cloud_access_access } from '../gen/yandex/cloud/access/access_pb.js';
import { file_google_rpc_error_details } from '../gen/google/rpc/error_details_pb.js';
import { file_yandex_cloud_iam_v1_service_account_service } from '../gen/yandex/cloud/iam/v1/service_account_service_pb.js';
import { file_yandex_cloud_iam_v1_key_service } from '../gen/yandex/cloud/iam/v1/key_service_pb.js';
import { file_yandex_cloud_resourcemanager_v1_folder_service } from '../gen/yandex/cloud/resourcemanager/v1/folder_service_pb.js';

export const typeRegistry = createRegistry(...withDependencies(
  file_google_protobuf_empty,
  file_yandex_cloud_clouddesktop_v1_desktop_image_service,
  file_yandex_cloud_compute_v1_image_service,
  file_yandex_cloud_access_access,
  file_google_rpc_error_details,
  file_yandex_cloud_iam_v1_service_account_service,
  file_yandex_cloud_iam_v1_key_service,
  file_yandex_cloud_resourcemanager_v1_folder_service,
));

function withDependencies(...roots: DescFile[]): DescFile[] {
  const files = new Set<DescFile>();
  const visit = (f: DescFile) => {
    if (files.has(f)) return;
    files.add(f);
    f.dependencies.forEach(visit);
  };
  roots.forEach(visit);
  return [...files];
}
