import { ImageService } from '../../../gen/yandex/cloud/compute/v1/image_service_pb.js';
import { folder, read } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { computeImageToWire } from './to-wire.js';
import { COMPUTE, type Deps } from './deps.js';

export const getLatestByFamily = rpc(ImageService.method.getLatestByFamily, {
  auth: [read(COMPUTE, folder())],
  handler: ({ images }: Deps) => async (req) => computeImageToWire(await images.latestByFamily(req.folderId, req.family)),
});
