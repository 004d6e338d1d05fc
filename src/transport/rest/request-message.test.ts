/** Request mapping (path, body, query → message) and its INVALID_ARGUMENT answers, without a server. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DesktopImageService } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { ImageService } from '../../gen/yandex/cloud/compute/v1/image_service_pb.js';
import { InvalidArgumentError } from '../../domain/errors.js';
import { Router } from '../rpc.js';
import { buildRouteTable } from './route-table.js';
import { requestMessage } from './request-message.js';
import { jsonRegistry } from './json-registry.js';
import { createRegistry } from '@bufbuild/protobuf';

const router = new Router().add(DesktopImageService, {}).add(ImageService, {});
const table = buildRouteTable(router.methods());
const registry = jsonRegistry(router.services(), createRegistry());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function build(verb: string, url: string, body?: unknown): any {
  const [path, query = ''] = url.split('?');
  const hit = table.match(verb, path!);
  assert.equal(hit.kind, 'route', `${verb} ${path}`);
  if (hit.kind !== 'route') return undefined;
  return requestMessage(hit.route, hit.params, new URLSearchParams(query), body, registry);
}

function fails(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof InvalidArgumentError, String(err));
    assert.match(err.message, message);
    return true;
  });
}

describe('requestMessage', () => {
  it('maps query parameters by JSON or proto name, int64 as proto3 JSON', () => {
    const req = build('GET', '/cloud-desktop/v1/images?folderId=f&page_size=20&orderBy=name%20desc&filter=name%3D%22a%22');
    assert.deepEqual([req.folderId, req.pageSize, req.orderBy, req.filter], ['f', 20n, 'name desc', 'name="a"']);
  });

  it('maps body "*" and path variables, FieldMask as a comma-separated string', () => {
    const req = build('PATCH', '/cloud-desktop/v1/images/e3v1', { updateMask: 'name,labels', name: 'n', labels: { a: 'b' } });
    assert.equal(req.imageId, 'e3v1');
    assert.deepEqual(req.updateMask.paths, ['name', 'labels']);
    assert.deepEqual(req.labels, { a: 'b' });
  });

  it('takes no body as an empty request, and enums by name', () => {
    assert.equal(build('POST', '/cloud-desktop/v1/images:copy', undefined).folderId, '');
    const create = build('POST', '/compute/v1/images', { folderId: 'f', os: { type: 'WINDOWS' }, hardwareGeneration: {} });
    assert.equal(create.os.type, 2);
  });

  it('names unknown fields with their full path', () => {
    fails(() => build('POST', '/cloud-desktop/v1/images:copy', { folderId: 'f', foo: 1, bar: 2 }), /^Request validation error: foo: Unknown field; bar: Unknown field$/);
    fails(() => build('POST', '/compute/v1/images/r:setAccessBindings', { accessBindings: [{}, { subject: { x: 1 } }] }), /access_bindings\[1\]\.subject\.x: Unknown field/);
  });

  it('names the field of a bad value', () => {
    fails(() => build('GET', '/cloud-desktop/v1/images?folderId=f&pageSize=x'), /^Request validation error: page_size: Invalid value "x": expected int64$/);
    fails(() => build('POST', '/compute/v1/images', { os: { type: 'BEOS' } }), /^Request validation error: os.type: Invalid value "BEOS": expected one of TYPE_UNSPECIFIED, LINUX, WINDOWS$/);
    fails(() => build('POST', '/compute/v1/images/r:setAccessBindings', { accessBindings: [{ roleId: 7 }] }), /^Request validation error: access_bindings\[0\].role_id: Invalid value 7: expected string$/);
    fails(() => build('PATCH', '/cloud-desktop/v1/images/e3v1', { updateMask: 'min_disk_size' }), /^Request validation error: update_mask: Path names must be lowerCamelCase$/);
    fails(() => build('POST', '/cloud-desktop/v1/images:copy', { folderId: 'a', folder_id: 'b' }), /folder_id: Set multiple times/);
  });

  it('rejects query parameters it cannot map', () => {
    fails(() => build('GET', '/cloud-desktop/v1/images?nope=1'), /^Request validation error: nope: Unknown query parameter$/);
    fails(() => build('GET', '/cloud-desktop/v1/images?filter=a&filter=b'), /filter: Given more than once/);
    fails(() => build('POST', '/cloud-desktop/v1/images:copy?name=x', {}), /name: Not accepted in the query string/);
  });

  it('needs path and body to agree on a field given in both', () => {
    assert.equal(build('PATCH', '/cloud-desktop/v1/images/e3v1', { imageId: 'e3v1' }).imageId, 'e3v1');
    fails(() => build('PATCH', '/cloud-desktop/v1/images/e3v1', { image_id: 'e3v2' }), /image_id: Given as "e3v1" in the path and as "e3v2" in the request/);
    fails(() => build('GET', '/cloud-desktop/v1/images/e3v1?imageId=e3v2'), /image_id: Given as "e3v1"/);
  });
});
