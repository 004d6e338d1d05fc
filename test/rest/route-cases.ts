/**
 * Expected REST outcomes, one per RPC (by gRPC path), for routes.test.ts. Each builds its
 * request (proto3 JSON; routes.test.ts maps it onto the binding's path, body and query) from
 * the fixtures and says what must come back. Requests that change state make their own targets.
 * The IAM and Resource Manager RPCs are in route-cases-iam.ts.
 *
 *   [`${DI}/Get`]: async (fx) => ({ request: { imageId: fx.desktopImage.id }, status: 200, ... })
 */
import assert from 'node:assert/strict';
import type { Rest } from './rest-client.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface Fixtures {
  rest: Rest;
  folder: string;
  /** A READY Compute image of family `routes-family`. */
  computeImage: Json;
  /** An ACTIVE desktop image, as REST Get answers it. */
  desktopImage: Json;
  /** A finished operation (an Update of desktopImage). */
  doneOp: Json;
  /** An ACTIVE desktop group of desktopImage, no members, one network with subnet `routes-subnet`; serviceAccount holds vdi.desktopGroups.user on it. */
  desktopGroup: Json;
  /** An ACTIVE desktop of desktopGroup whose one user is serviceAccount, and a STOPPED one (both as REST Get answers them). */
  desktop: Json;
  stoppedDesktop: Json;
  /** A group whose only member is `someone-else`. */
  memberGroup: Json;
  newDesktopGroup(name: string): Promise<Json>;
  /** A new ACTIVE (or STOPPED) desktop of desktopGroup used by serviceAccount. */
  newDesktop(opts?: { stopped?: boolean }): Promise<Json>;
  newComputeImage(name: string): Promise<Json>;
  newDesktopImage(name: string): Promise<Json>;
  /** A REST client presenting another bearer token, or none for null. */
  restAs(token: string | null): Rest;
  /** A service account of `folder` (as REST Get answers it) that nobody acts as. */
  serviceAccount: Json;
  /** Its one key (as KeyService.Create answered it), never used to sign, and the private half. */
  key: Json;
  privateKey: string;
  /** Tokens of service accounts of `folder` holding, on `folder`: no role; viewer; vdi.admin. */
  outsider: string;
  viewer: string;
  vdiAdmin: string;
  /** A folder whose access bindings are exactly vdi.viewer for allAuthenticatedUsers and viewer for serviceAccount. */
  boundFolder: string;
  newServiceAccount(name: string): Promise<Json>;
  newKey(serviceAccountId: string): Promise<{ key: Json; privateKey: string }>;
  /** Adds a folder access binding as the bootstrap admin and waits for it. */
  grant(folderId: string, roleId: string, subject: { id: string; type: string }): Promise<void>;
}

export interface Expected {
  request: Json;
  /** The bearer token to send: the bootstrap admin's when undefined, none when null. */
  token?: string | null;
  status: number;
  code?: number;
  message?: RegExp;
  check?(body: Json): void | Promise<void>;
}

const DI = '/yandex.cloud.clouddesktop.v1.api.DesktopImageService';
const IMG = '/yandex.cloud.compute.v1.ImageService';
const OPS = '/yandex.cloud.operation.OperationService';
export const T = 'type.googleapis.com/';
export const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
let n = 0;
export const unique = (p: string) => `${p}-${++n}`;
/** `s` as a regular expression matching exactly it. */
export const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Checks an Operation answer, waits for it and checks its result (and the finished operation). */
export function operation(fx: Fixtures, description: string, metadata: string, response: string, then?: (r: Json, done: Json) => void | Promise<void>) {
  return async (op: Json) => {
    assert.match(op.id, /^[a-z0-9]{20}$/);
    assert.equal(op.description, description);
    assert.equal(op.metadata['@type'], T + metadata);
    const done = await fx.rest.waitDone(op);
    assert.equal(done.error, undefined, JSON.stringify(done.error));
    assert.equal(done.response['@type'], T + response);
    await then?.(done.response, done);
  };
}

/** What a declared RPC without a handler answers to a request that passes validation and authorization. */
export const notServed = (path: string) => ({ status: 501, code: 12, message: new RegExp(`^Method ${literal(path)} is not implemented$`) });

/** Entries for declared-but-unimplemented RPCs: each valid request (as the bootstrap admin) gets 501, code 12. */
export function unimplemented(requests: Record<string, (fx: Fixtures) => Json>): Record<string, (fx: Fixtures) => Expected> {
  return Object.fromEntries(Object.entries(requests).map(([path, request]) => [path, (fx: Fixtures): Expected => ({ request: request(fx), ...notServed(path) })]));
}

export const expectedOutcomes: Record<string, (fx: Fixtures) => Promise<Expected> | Expected> = {
  [`${DI}/List`]: (fx) => ({
    request: { folderId: fx.folder, filter: `name = "${fx.desktopImage.name}"` },
    status: 200,
    check: (b) => assert.deepEqual(b, { desktopImages: [fx.desktopImage] }),
  }),
  [`${DI}/Get`]: (fx) => ({
    request: { imageId: fx.desktopImage.id },
    status: 200,
    check: (b) => {
      assert.deepEqual(b, fx.desktopImage);
      assert.deepEqual(Object.keys(b).sort(), ['createdAt', 'folderId', 'id', 'labels', 'minDiskSize', 'name', 'status', 'storageSize']);
      assert.equal(b.status, 'ACTIVE');
      assert.match(b.storageSize, /^\d+$/, 'int64 as a string');
      assert.match(b.createdAt, TIME);
    },
  }),
  [`${DI}/Copy`]: (fx) => {
    const name = unique('copied');
    return {
      request: { folderId: fx.folder, name, imageId: fx.computeImage.id, labels: { env: 'test' }, description: 'd' },
      status: 200,
      check: operation(fx, 'Copy desktop image', 'yandex.cloud.clouddesktop.v1.api.CopyDesktopImageMetadata',
        'yandex.cloud.clouddesktop.v1.api.DesktopImage', (img) => assert.deepEqual([img.name, img.labels, img.description], [name, { env: 'test' }, 'd'])),
    };
  },
  [`${DI}/CopyFromDesktop`]: () => ({
    request: { desktopId: 'e3vdesktop0000000000' },
    status: 404,
    code: 5,
    message: /^Desktop e3vdesktop0000000000 not found$/,
  }),
  [`${DI}/Update`]: async (fx) => {
    const img = await fx.newDesktopImage(unique('to-update'));
    return {
      request: { imageId: img.id, updateMask: 'name', name: 'renamed' },
      status: 200,
      check: operation(fx, 'Update desktop image', 'yandex.cloud.clouddesktop.v1.api.UpdateDesktopImageMetadata',
        'yandex.cloud.clouddesktop.v1.api.DesktopImage', (r) => assert.equal(r.name, 'renamed')),
    };
  },
  [`${DI}/Delete`]: async (fx) => {
    const img = await fx.newDesktopImage(unique('to-delete'));
    return {
      request: { imageId: img.id },
      status: 200,
      check: operation(fx, 'Delete desktop image', 'yandex.cloud.clouddesktop.v1.api.DeleteDesktopImageMetadata', 'google.protobuf.Empty',
        (r) => assert.deepEqual(r, { '@type': T + 'google.protobuf.Empty', value: {} })),
    };
  },
  [`${OPS}/Get`]: (fx) => ({ request: { operationId: fx.doneOp.id }, status: 200, check: (b) => assert.deepEqual(b, fx.doneOp) }),
  [`${OPS}/Cancel`]: (fx) => ({ request: { operationId: fx.doneOp.id }, status: 400, code: 9 }),
  [`${IMG}/Get`]: (fx) => ({ request: { imageId: fx.computeImage.id }, status: 200, check: (b) => assert.deepEqual(b, withoutType(fx.computeImage)) }),
  [`${IMG}/GetLatestByFamily`]: (fx) => ({
    request: { folderId: fx.folder, family: 'routes-family' },
    status: 200,
    check: (b) => assert.equal(b.id, fx.computeImage.id),
  }),
  [`${IMG}/List`]: (fx) => ({
    request: { folderId: fx.folder, filter: 'name = "routes-base"' },
    status: 200,
    check: (b) => assert.deepEqual(b, { images: [withoutType(fx.computeImage)] }),
  }),
  [`${IMG}/Create`]: (fx) => ({
    request: { folderId: fx.folder, name: unique('created'), imageId: fx.computeImage.id },
    status: 200,
    check: operation(fx, 'Create image', 'yandex.cloud.compute.v1.CreateImageMetadata', 'yandex.cloud.compute.v1.Image'),
  }),
  [`${IMG}/Update`]: async (fx) => {
    const img = await fx.newComputeImage(unique('cupdate'));
    return {
      request: { imageId: img.id, updateMask: 'description', description: 'new' },
      status: 200,
      check: operation(fx, 'Update image', 'yandex.cloud.compute.v1.UpdateImageMetadata', 'yandex.cloud.compute.v1.Image',
        (r) => assert.equal(r.description, 'new')),
    };
  },
  [`${IMG}/Delete`]: async (fx) => {
    const img = await fx.newComputeImage(unique('cdelete'));
    return {
      request: { imageId: img.id },
      status: 200,
      check: operation(fx, 'Delete image', 'yandex.cloud.compute.v1.DeleteImageMetadata', 'google.protobuf.Empty'),
    };
  },
  [`${IMG}/ListOperations`]: (fx) => ({
    request: { imageId: fx.computeImage.id, pageSize: '10' },
    status: 200,
    check: (b) => assert.ok(b.operations.some((o: Json) => o.description === 'Create image' && o.done)),
  }),
  ...unimplemented({
    [`${IMG}/ListAccessBindings`]: (fx) => ({ resourceId: fx.computeImage.id }),
    [`${IMG}/SetAccessBindings`]: (fx) => ({ resourceId: fx.computeImage.id, accessBindings: [] }),
    [`${IMG}/UpdateAccessBindings`]: (fx) => ({
      resourceId: fx.computeImage.id,
      accessBindingDeltas: [{ action: 'ADD', accessBinding: { roleId: 'viewer', subject: { id: 'someone', type: 'userAccount' } } }],
    }),
  }),
};

export function withoutType(o: Json): Json {
  const { ['@type']: _, ...rest } = o;
  return rest;
}
