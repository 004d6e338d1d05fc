import { ImageService } from '../../../gen/yandex/cloud/compute/v1/image_service_pb.js';
import { read, res } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { COMPUTE_IMAGE } from '../domain/compute-image.js';
import { computeImageToWire } from './to-wire.js';
import { COMPUTE, type Deps } from './deps.js';

export const get = rpc(ImageService.method.get, {
  auth: [read(COMPUTE, res(COMPUTE_IMAGE, 'image_id'))],
  handler: ({ images }: Deps) => async (req) => computeImageToWire(await images.get(req.imageId)),
});
