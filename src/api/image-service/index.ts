/**
 * yandex.cloud.compute.v1.ImageService: the Compute images desktop images are copied from.
 * The access-binding RPCs of the service are declared but answer UNIMPLEMENTED.
 */
import { create as createMessage } from '@bufbuild/protobuf';
import type { Router } from '../../transport/rpc.js';
import {
  ImageService,
  ListImageOperationsResponseSchema,
  ListImagesResponseSchema,
} from '../../gen/yandex/cloud/compute/v1/image_service_pb.js';
import type { ComputeImages } from '../../domain/compute-image/compute-images.js';
import { callerOf } from '../caller.js';
import { operationToWire } from '../operation-service/to-wire.js';
import { computeImageToWire } from './to-wire.js';
import { create } from './create.js';

export function registerImageService(router: Router, images: ComputeImages): void {
  router.add(ImageService, {
    get: async (req) => computeImageToWire(await images.get(req.imageId)),
    getLatestByFamily: async (req) => computeImageToWire(await images.latestByFamily(req.folderId, req.family)),
    list: async (req) => {
      const page = await images.list(req);
      return createMessage(ListImagesResponseSchema, { images: page.items.map(computeImageToWire), nextPageToken: page.nextPageToken });
    },
    create: create(images),
    update: async (req, ctx) =>
      operationToWire(
        await images.update(
          {
            imageId: req.imageId,
            paths: req.updateMask?.paths ?? [],
            name: req.name,
            description: req.description,
            minDiskSize: Number(req.minDiskSize),
            labels: { ...req.labels },
          },
          callerOf(ctx),
        ),
      ),
    delete: async (req, ctx) => operationToWire(await images.delete(req.imageId, callerOf(ctx))),
    listOperations: async (req) => {
      const page = await images.listOperations(req.imageId, req.pageSize, req.pageToken);
      return createMessage(ListImageOperationsResponseSchema, { operations: page.items.map(operationToWire), nextPageToken: page.nextPageToken });
    },
  });
}
