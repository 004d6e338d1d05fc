import { ImageService, ListImageOperationsResponseSchema } from '../../../gen/yandex/cloud/compute/v1/image_service_pb.js';
import { read, res } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { listResponse, pageRequest } from '../../../api/wire.js';
import { COMPUTE_IMAGE } from '../domain/compute-image.js';
import { COMPUTE, type Deps } from './deps.js';

export const listOperations = rpc(ImageService.method.listOperations, {
  auth: [read(COMPUTE, res(COMPUTE_IMAGE, 'image_id'))],
  handler: ({ images, wire }: Deps) => async (req) =>
    listResponse(ListImageOperationsResponseSchema, 'operations', await images.listOperations(req.imageId, pageRequest(req)), (op) => wire.toWire(op)),
});
