/** Path templates and the route table, without a server. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileTemplate, MalformedPathError, splitPath } from './path-template.js';
import { buildRouteTable } from './route-table.js';
import { DesktopImageService } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { OperationService } from '../../gen/yandex/cloud/operation/operation_service_pb.js';
import { ImageService } from '../../gen/yandex/cloud/compute/v1/image_service_pb.js';
import { Router } from '../rpc.js';

const m = (template: string, path: string) => {
  const got = compileTemplate(template).match(splitPath(path));
  return got && Object.fromEntries(got);
};

describe('compileTemplate', () => {
  it('binds variables and splits the custom verb off the last segment', () => {
    assert.deepEqual(m('/cloud-desktop/v1/images/{image_id}', '/cloud-desktop/v1/images/e3v1'), { image_id: 'e3v1' });
    assert.deepEqual(m('/operations/{operation_id}:cancel', '/operations/e3v1:cancel'), { operation_id: 'e3v1' });
    assert.deepEqual(m('/cloud-desktop/v1/images:copy', '/cloud-desktop/v1/images:copy'), {});
    assert.deepEqual(m('/compute/v1/images/{image_id}/operations', '/compute/v1/images/fd8/operations'), { image_id: 'fd8' });
  });

  it('never takes a :verb for an id, and needs the exact verb', () => {
    assert.equal(m('/cloud-desktop/v1/images/{image_id}', '/cloud-desktop/v1/images:copy'), undefined);
    assert.equal(m('/cloud-desktop/v1/images/{image_id}', '/cloud-desktop/v1/images/x:copy'), undefined);
    assert.equal(m('/operations/{operation_id}:cancel', '/operations/x'), undefined);
    assert.equal(m('/operations/{operation_id}:cancel', '/operations/x:cancelled'), undefined);
    assert.deepEqual(m('/cloud-desktop/v1/images/{image_id}', '/cloud-desktop/v1/images/a%3Ab'), { image_id: 'a:b' });
  });

  it('percent-decodes captured segments and rejects empty or extra segments', () => {
    assert.deepEqual(m('/a/{x}', '/a/b%2Fc%20d'), { x: 'b/c d' });
    assert.equal(m('/a/{x}', '/a/'), undefined);
    assert.equal(m('/a/{x}', '/a/b/c'), undefined);
    assert.throws(() => m('/a/{x}', '/a/%zz'), MalformedPathError);
  });

  it('supports nested field paths, patterns and ** ', () => {
    assert.deepEqual(m('/v1/{parent.name=projects/*}/items', '/v1/projects/p1/items'), { 'parent.name': 'projects/p1' });
    assert.deepEqual(m('/v1/{name=files/**}', '/v1/files/a/b/c'), { name: 'files/a/b/c' });
    assert.deepEqual(m('/v1/{name=files/**}:get', '/v1/files/a:get'), { name: 'files/a' });
  });

  it('rejects malformed templates', () => {
    for (const bad of ['a/b', '/a/{b', '/a/**/c', '/a/{b}}', '/a//b', '/a/{b-c}']) assert.throws(() => compileTemplate(bad), bad);
  });
});

describe('buildRouteTable', () => {
  const router = new Router().add(DesktopImageService, {}).add(OperationService, {}).add(ImageService, {});
  const table = buildRouteTable(router.methods());
  const hit = (verb: string, path: string) => {
    const r = table.match(verb, path);
    return r.kind === 'route' ? `${r.route.call.path} ${JSON.stringify(Object.fromEntries(r.params))}` : r.kind === 'wrong-verb' ? `405 ${r.allow}` : '404';
  };

  it('routes every annotated method from its descriptor', () => {
    assert.equal(hit('GET', '/cloud-desktop/v1/images'), '/yandex.cloud.clouddesktop.v1.api.DesktopImageService/List {}');
    assert.equal(hit('PATCH', '/cloud-desktop/v1/images/e3v1'), '/yandex.cloud.clouddesktop.v1.api.DesktopImageService/Update {"image_id":"e3v1"}');
    assert.equal(hit('POST', '/cloud-desktop/v1/images:copyFromDesktop'), '/yandex.cloud.clouddesktop.v1.api.DesktopImageService/CopyFromDesktop {}');
    assert.equal(hit('GET', '/compute/v1/images:latestByFamily'), '/yandex.cloud.compute.v1.ImageService/GetLatestByFamily {}');
    assert.equal(hit('GET', '/compute/v1/images/i1:listAccessBindings'), '/yandex.cloud.compute.v1.ImageService/ListAccessBindings {"resource_id":"i1"}');
    assert.equal(table.routes.filter((r) => !r.alias).length, 18);
  });

  it('serves GET custom methods at POST too, and answers 405/404 otherwise', () => {
    assert.equal(hit('POST', '/operations/o1:cancel'), '/yandex.cloud.operation.OperationService/Cancel {"operation_id":"o1"}');
    assert.equal(hit('GET', '/operations/o1:cancel'), '/yandex.cloud.operation.OperationService/Cancel {"operation_id":"o1"}');
    assert.equal(hit('PUT', '/cloud-desktop/v1/images/x'), '405 DELETE,GET,PATCH');
    assert.equal(hit('POST', '/operations/o1'), '405 GET');
    assert.equal(hit('GET', '/cloud-desktop/v1/images/x/y'), '404');
  });

  it('finds every route from a path made from its own template, and none under another first segment', () => {
    for (const route of table.routes) {
      const path = route.template.source.replace(/\{[^}]*\}/g, 'x1');
      const r = table.match(route.verb, path);
      assert.equal(r.kind === 'route' && r.route, route, `${route.verb} ${path}`);
      assert.equal(table.match(route.verb, path.replace(/^\/[^/:]+/, '/elsewhere')).kind, 'none', path);
    }
  });

  it('refuses two methods bound to the same route', () => {
    const twice = new Router().add(DesktopImageService, {}).methods();
    assert.throws(() => buildRouteTable([...twice, ...twice]), /is bound twice/);
  });
});
