import { ImageService } from '../../../gen/yandex/cloud/compute/v1/image_service_pb.js';
import { res, write } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { COMPUTE_IMAGE } from '../domain/compute-image.js';
import { COMPUTE, type Deps } from './deps.js';

export const remove = rpc(ImageService.method.delete, {
  auth: [write(COMPUTE, res(COMPUTE_IMAGE, 'image_id'))],
  audit: 'DeleteImage',
  handler: ({ images }: Deps) => (req, call) => images.delete(req.imageId, call.caller),
});
