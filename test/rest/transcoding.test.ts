/**
 * Request mapping of the REST gateway: path variables, `body: "*"`, query strings, proto3 JSON
 * input rules, and the INVALID_ARGUMENT answers for everything it cannot map.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../harness/server.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { assertStatus, restFor, violationsOf, type Rest } from './rest-client.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

let server: RunningServer;
let src: ImageSource;
let rest: Rest;
let source: Json;
let image: Json;
const folder = 'transcoding';

before(async () => {
  server = await startServer();
  src = await startImageSource();
  rest = restFor(server);
  // min_disk_size as a JSON number, snake_case keys: both accepted on input.
  const op = await rest.post('/compute/v1/images', { folder_id: folder, name: 'src', uri: src.url('/raw?size=8192'), min_disk_size: 8 * 1024 ** 2 });
  assert.equal(op.status, 200, op.text);
  source = (await rest.waitDone(op.json)).response;
  image = (await rest.waitDone((await rest.post('/cloud-desktop/v1/images:copy', { folderId: folder, name: 'img', imageId: source.id })).json)).response;
});

after(async () => {
  await src.close();
  await server.cleanup();
});

describe('JSON bodies', () => {
  it('reads snake_case and lowerCamelCase keys, int64 as number or string', () => {
    assert.equal(source.minDiskSize, String(8 * 1024 ** 2));
    assert.equal(source.folderId, folder);
  });

  it('answers 400 naming the problem for malformed JSON, non-objects and unknown fields', async () => {
    const bad = await rest.post('/cloud-desktop/v1/images:copy', '{"folderId": "f",');
    assertStatus(bad, 400, 3, /^Request body is not valid JSON: /);
    assertStatus(await rest.post('/cloud-desktop/v1/images:copy', '[1,2]'), 400, 3, /^Request body must be a JSON object$/);
    const unknown = await rest.post('/cloud-desktop/v1/images:copy', { folderId: folder, name: 'x', imageId: source.id, nmae: 'y' });
    assertStatus(unknown, 400, 3, /^Request validation error: nmae: Unknown field$/);
    assert.deepEqual(violationsOf(unknown), ['nmae: Unknown field']);
    const nested = await rest.post(`/compute/v1/images/${source.id}:setAccessBindings`, {
      accessBindings: [{ roleId: 'viewer', subject: { id: 'u', type: 'userAccount', kind: 'x' } }],
    });
    assertStatus(nested, 400, 3);
    assert.deepEqual(violationsOf(nested), ['access_bindings[0].subject.kind: Unknown field']);
  });

  it('answers 400 naming the field for values of the wrong type', async () => {
    const res = await rest.post('/cloud-desktop/v1/images:copy', { folderId: folder, name: 5, imageId: source.id });
    assertStatus(res, 400, 3, /^Request validation error: name: Invalid value 5: expected string$/);
    const int = await rest.post('/compute/v1/images', { folderId: folder, name: 'n', uri: 'http://x', minDiskSize: 'big' });
    assertStatus(int, 400, 3, /^Request validation error: min_disk_size: Invalid value "big": expected int64$/);
    const mask = await rest.patch(`/cloud-desktop/v1/images/${image.id}`, { updateMask: 'min_disk_size' });
    assertStatus(mask, 400, 3, /^Request validation error: update_mask: /);
  });

  it('takes an empty body or {} as an empty request (validation then names the fields)', async () => {
    for (const body of [undefined, '', '{}', ' \n']) {
      const res = await rest.request('POST', '/cloud-desktop/v1/images:copy', { body });
      assertStatus(res, 400, 3, /^Request validation error: folder_id: Field is required/);
    }
  });

  it('reads the body whatever its content type, as curl -d sends form-urlencoded', async () => {
    const res = await rest.post('/cloud-desktop/v1/images:copy', JSON.stringify({ folderId: folder, name: 'ct', imageId: source.id }), {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.status, 200, res.text);
    await rest.waitDone(res.json);
  });
});

describe('path variables', () => {
  it('are percent-decoded; a bad escape is 400', async () => {
    assertStatus(await rest.get('/cloud-desktop/v1/images/a%2Fb%20c'), 404, 5, /^Desktop image a\/b c not found$/);
    assertStatus(await rest.get('/cloud-desktop/v1/images/%zz'), 400, 3, /Malformed percent-encoding/);
  });

  it('a field in both the path and the body must agree', async () => {
    const same = await rest.patch(`/cloud-desktop/v1/images/${image.id}`, { imageId: image.id, updateMask: 'labels', labels: { a: 'b' } });
    assert.equal(same.status, 200, same.text);
    await rest.waitDone(same.json);
    const differ = await rest.patch(`/cloud-desktop/v1/images/${image.id}`, { image_id: 'e3vother000000000000', name: 'x' });
    assertStatus(differ, 400, 3, /^Request validation error: image_id: Given as "e3v\w+" in the path and as "e3vother000000000000" in the request$/);
  });

  it(':verb suffixes are never taken for ids', async () => {
    const get = await rest.get('/cloud-desktop/v1/images:copy');
    assertStatus(get, 405, 12);
    assert.equal(get.headers.get('allow'), 'POST');
    assertStatus(await rest.get(`/cloud-desktop/v1/images/${image.id}:bogus`), 404, 5, /^Path \S+ not found$/);
    assertStatus(await rest.get('/cloud-desktop/v1/images/e3v%3Acopy'), 404, 5, /^Desktop image e3v:copy not found$/);
  });
});

describe('query strings', () => {
  it('map lowerCamelCase and snake_case names, int64 and strings', async () => {
    for (const q of [`folderId=${folder}&pageSize=1`, `folder_id=${folder}&page_size=1`]) {
      const res = await rest.get(`/cloud-desktop/v1/images?${q}&orderBy=name&filter=${encodeURIComponent('name = "img"')}`);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json.desktopImages.map((i: Json) => i.id), [image.id]);
    }
    const ops = await rest.get(`/compute/v1/images/${source.id}/operations?pageSize=5`);
    assert.equal(ops.status, 200, ops.text);
    assert.equal(ops.json.operations[0].description, 'Create image');
  });

  it('answer 400 naming the parameter when it cannot be mapped', async () => {
    const list = `/cloud-desktop/v1/images?folderId=${folder}`;
    assertStatus(await rest.get(`${list}&colour=red`), 400, 3, /^Request validation error: colour: Unknown query parameter$/);
    assertStatus(await rest.get(`${list}&pageSize=abc`), 400, 3, /^Request validation error: page_size: Invalid value "abc": expected int64$/);
    assertStatus(await rest.get(`${list}&pageSize=1&page_size=2`), 400, 3, /^Request validation error: page_size: Given more than once$/);
    assertStatus(await rest.get(`${list}&filter.x=1`), 400, 3, /^Request validation error: filter: Not a message: has no fields$/);
    assertStatus(await rest.get(`${list}&pageSize=2000`), 400, 3, /^Request validation error: page_size: Value must be in range 0-1000$/);
    const copy = await rest.post(`/cloud-desktop/v1/images:copy?folderId=${folder}`, { name: 'q', imageId: source.id });
    assertStatus(copy, 400, 3, /^Request validation error: folderId: Not accepted in the query string/);
  });

  it('a path-bound field repeated in the query must agree', async () => {
    assert.equal((await rest.get(`/cloud-desktop/v1/images/${image.id}?imageId=${image.id}`)).status, 200);
    assertStatus(await rest.get(`/cloud-desktop/v1/images/${image.id}?imageId=other`), 400, 3, /image_id: Given as/);
  });
});
