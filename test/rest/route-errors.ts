/**
 * The main errors of each RPC over REST, by gRPC path, for routes.test.ts: HTTP status,
 * google.rpc.Status code, message, and the field a validation error names. The IAM and Resource
 * Manager RPCs are in route-errors-iam.ts.
 *
 *   [`${DI}/Get`]: (fx) => [{ request: { imageId: 'e3vnothere0000000000' }, status: 404, code: 5, message: /.../ }]
 */
import { literal, notServed, type Expected, type Fixtures } from './route-cases.js';

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

export const invalid = (request: Json, field: string, description: RegExp): ExpectedError => ({
  request,
  status: 400,
  code: 3,
  message: new RegExp(`^Request validation error: ${literal(field)}: ${description.source}`),
  violation: new RegExp(`^${literal(field)}: ${description.source}`),
});
export const notFound = (request: Json, message: string): ExpectedError => ({ request, status: 404, code: 5, message: new RegExp(`^${message}$`) });
/** No credential: refused before the request is even validated. */
export const anonymous = (request: Json): ExpectedError => ({
  request,
  token: null,
  status: 401,
  code: 16,
  message: /^Authentication required: send the header "authorization: Bearer <IAM token>"$/,
});
/** `token` lacks the role the authorization table asks for on `what` (`folder f`, `service account aje…`). */
export const denied = (request: Json, token: string, what: string): ExpectedError => ({
  request,
  token,
  status: 403,
  code: 7,
  message: new RegExp(`^Permission denied to ${literal(what)}$`),
});
/** A request that passes validation and authorization reaches the missing handler of `path`. */
export const unserved = (path: string, request: Json, token?: string): ExpectedError => ({ request, token, ...notServed(path) });

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
  // Declared, not served: validation and authorization still come first; an unknown image is not looked up.
  [`${IMG}/ListAccessBindings`]: (fx) => [
    invalid({ resourceId: 'r'.repeat(65) }, 'resource_id', /Length must be less than or equal to 64/),
    anonymous({ resourceId: fx.computeImage.id }),
    denied({ resourceId: fx.computeImage.id }, fx.outsider, `image ${fx.computeImage.id}`),
    unserved(`${IMG}/ListAccessBindings`, { resourceId: NO_COMPUTE }),
  ],
  [`${IMG}/SetAccessBindings`]: (fx) => [
    invalid({ resourceId: fx.computeImage.id, accessBindings: [{ roleId: 'viewer' }] }, 'access_bindings[0].subject', /Field is required/),
    anonymous({ resourceId: fx.computeImage.id, accessBindings: [] }),
    denied({ resourceId: fx.computeImage.id, accessBindings: [] }, fx.viewer, `image ${fx.computeImage.id}`),
  ],
  [`${IMG}/UpdateAccessBindings`]: (fx) => [
    invalid({ resourceId: fx.computeImage.id, accessBindingDeltas: [] }, 'access_binding_deltas', /Size must be in range 1-1000/),
    anonymous({ resourceId: fx.computeImage.id, accessBindingDeltas: [] }),
    denied({
      resourceId: fx.computeImage.id,
      accessBindingDeltas: [{ action: 'ADD', accessBinding: { roleId: 'viewer', subject: { id: fx.serviceAccount.id, type: 'serviceAccount' } } }],
    }, fx.viewer, `image ${fx.computeImage.id}`),
  ],
};
