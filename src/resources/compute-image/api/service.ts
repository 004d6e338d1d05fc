/**
 * yandex.cloud.compute.v1.ImageService: the Compute images desktop images are copied from, one
 * file per RPC. The access-binding RPCs of the service are declared but answer UNIMPLEMENTED.
 */
import { ImageService } from '../../../gen/yandex/cloud/compute/v1/image_service_pb.js';
import { ImageSchema } from '../../../gen/yandex/cloud/compute/v1/image_pb.js';
import { admin, read, res } from '../../../api/authz/rules.js';
import { defineService, unimplemented } from '../../../api/service.js';
import { responseBinding } from '../../../api/operation-wire.js';
import { COMPUTE_IMAGE } from '../domain/compute-image.js';
import { computeImageToWire } from './to-wire.js';
import { COMPUTE } from './deps.js';
import { get } from './get.js';
import { getLatestByFamily } from './get-latest-by-family.js';
import { list } from './list.js';
import { create } from './create.js';
import { update } from './update.js';
import { remove } from './delete.js';
import { listOperations } from './list-operations.js';

export const imageService = defineService(ImageService, {
  auditSource: 'compute',
  eventIdPrefix: COMPUTE_IMAGE.idPrefix,
  rpcs: {
    get,
    getLatestByFamily,
    list,
    create,
    update,
    delete: remove,
    listOperations,
    listAccessBindings: unimplemented([read(COMPUTE, res(COMPUTE_IMAGE, 'resource_id'))]),
    setAccessBindings: unimplemented([admin(COMPUTE, res(COMPUTE_IMAGE, 'resource_id'))]),
    updateAccessBindings: unimplemented([admin(COMPUTE, res(COMPUTE_IMAGE, 'resource_id'))]),
  },
});

export const computeImageResponse = responseBinding(ImageSchema, computeImageToWire);
