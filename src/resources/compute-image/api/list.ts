import { ImageService, ListImagesResponseSchema } from '../../../gen/yandex/cloud/compute/v1/image_service_pb.js';
import { folder, read } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { listRequest, listResponse } from '../../../api/wire.js';
import { computeImageToWire } from './to-wire.js';
import { COMPUTE, type Deps } from './deps.js';

export const list = rpc(ImageService.method.list, {
  auth: [read(COMPUTE, folder())],
  handler: ({ images }: Deps) => async (req) =>
    listResponse(ListImagesResponseSchema, 'images', await images.list(listRequest(req)), computeImageToWire),
});
