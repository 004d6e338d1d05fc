import { ImageService } from '../../../gen/yandex/cloud/compute/v1/image_service_pb.js';
import { res, write } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { COMPUTE_IMAGE } from '../domain/compute-image.js';
import { COMPUTE, type Deps } from './deps.js';

export const update = rpc(ImageService.method.update, {
  auth: [write(COMPUTE, res(COMPUTE_IMAGE, 'image_id'))],
  audit: 'UpdateImage',
  handler: ({ images }: Deps) => (req, call) =>
    images.update(
      {
        imageId: req.imageId,
        paths: req.updateMask?.paths ?? [],
        name: req.name,
        description: req.description,
        minDiskSize: Number(req.minDiskSize),
        labels: { ...req.labels },
      },
      call.caller,
    ),
});
