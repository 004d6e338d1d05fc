/**
 * The main errors of each RPC over REST, by gRPC path, for routes.test.ts: HTTP status,
 * google.rpc.Status code, message, and the field a validation error names.
 *
 *   [`${DI}/Get`]: (fx) => [{ request: { imageId: 'e3vnothere0000000000' }, status: 404, code: 5, message: /.../ }]
 */
import type { Expected, Fixtures } from './route-cases.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface ExpectedError extends Expected {
  code: number;
  message: RegExp;
  /** The BadRequest violation, `field: description`, for INVALID_ARGUMENT. */
  violation?: RegExp;
}

const DI = '/yandex.cloud.clouddesktop.v1.api.DesktopImageService';
const IMG = '/yandex.cloud.compute.v1.ImageService';
const OPS = '/yandex.cloud.operation.OperationService';
const NO_IMAGE = 'e3vnothere0000000000';
const NO_COMPUTE = 'fd8nothere0000000000';

const invalid = (request: Json, field: string, description: RegExp): ExpectedError => ({
  request,
  status: 400,
  code: 3,
  message: new RegExp(`^Request validation error: ${field}: ${description.source}`),
  violation: new RegExp(`^${field.replace(/[[\]]/g, '\\$&')}: ${description.source}`),
});
const notFound = (request: Json, message: string): ExpectedError => ({ request, status: 404, code: 5, message: new RegExp(`^${message}$`) });

export const expectedErrors: Record<string, (fx: Fixtures) => ExpectedError[]> = {
  [`${DI}/List`]: (fx) => [
    invalid({}, 'folder_id', /Field is required/),
    invalid({ folderId: fx.folder, pageSize: '1001' }, 'page_size', /Value must be in range 0-1000/),
    invalid({ folderId: fx.folder, pageToken: 'garbage' }, 'page_token', /.+/),
    invalid({ folderId: fx.folder, orderBy: 'size' }, 'order_by', /.+/),
  ],
  [`${DI}/Get`]: () => [notFound({ imageId: NO_IMAGE }, `Desktop image ${NO_IMAGE} not found`)],
  [`${DI}/Copy`]: (fx) => [
    invalid({ folderId: fx.folder, name: 'n'.repeat(51), imageId: fx.computeImage.id }, 'name', /Length must be less than or equal to 50/),
    invalid({ folderId: fx.folder, name: 'n', imageId: fx.computeImage.id, labels: { Bad: 'x' } }, 'labels', /.+/),
    notFound({ folderId: fx.folder, name: 'n', imageId: NO_COMPUTE }, `Image ${NO_COMPUTE} not found`),
  ],
  [`${DI}/CopyFromDesktop`]: () => [invalid({}, 'desktop_id', /Field is required/)],
  [`${DI}/Update`]: (fx) => [
    notFound({ imageId: NO_IMAGE, name: 'x' }, `Desktop image ${NO_IMAGE} not found`),
    invalid({ imageId: fx.desktopImage.id, updateMask: 'status' }, 'update_mask', /Unknown field "status"/),
  ],
  [`${DI}/Delete`]: () => [notFound({ imageId: NO_IMAGE }, `Desktop image ${NO_IMAGE} not found`)],
  [`${OPS}/Get`]: () => [notFound({ operationId: NO_IMAGE }, `Operation ${NO_IMAGE} not found`)],
  [`${OPS}/Cancel`]: (fx) => [
    notFound({ operationId: NO_IMAGE }, `Operation ${NO_IMAGE} not found`),
    { request: { operationId: fx.doneOp.id }, status: 400, code: 9, message: /.+/ },
  ],
  [`${IMG}/Get`]: () => [notFound({ imageId: NO_COMPUTE }, `Image ${NO_COMPUTE} not found`)],
  [`${IMG}/GetLatestByFamily`]: (fx) => [
    invalid({ family: 'routes-family' }, 'folder_id', /Field is required/),
    notFound({ folderId: fx.folder, family: 'nofamily' }, `Image with family nofamily not found in folder ${fx.folder}`),
  ],
  [`${IMG}/List`]: () => [invalid({}, 'folder_id', /Field is required/)],
  [`${IMG}/Create`]: (fx) => [
    invalid({ folderId: fx.folder, name: 'x' }, 'source', /Exactly one of image_id, disk_id, snapshot_id, uri must be set/),
    { request: { folderId: fx.folder, name: fx.computeImage.name, imageId: fx.computeImage.id }, status: 409, code: 6, message: /already exists/ },
  ],
  [`${IMG}/Update`]: () => [notFound({ imageId: NO_COMPUTE, name: 'x' }, `Image ${NO_COMPUTE} not found`)],
  [`${IMG}/Delete`]: () => [notFound({ imageId: NO_COMPUTE }, `Image ${NO_COMPUTE} not found`)],
  [`${IMG}/ListOperations`]: () => [notFound({ imageId: NO_COMPUTE }, `Image ${NO_COMPUTE} not found`)],
};
