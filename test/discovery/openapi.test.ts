/**
 * GET /openapi.json: valid OpenAPI 3.1 per @seriousme/openapi-schema-validator, and complete:
 * every `google.api.http` binding of every service the server describes over reflection is
 * documented at its path and verb, so an annotated RPC without a document fails here.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getOption, hasOption, type DescMessage } from '@bufbuild/protobuf';
import { Validator } from '@seriousme/openapi-schema-validator';
import { http } from '../../src/gen/google/api/annotations_pb.js';
import { startServer, type RunningServer } from '../harness/server.js';
import { servedRegistry } from './raw-reflection.js';

type Json = Record<string, any>;

let server: RunningServer;
let doc: Json;

before(async () => {
  server = await startServer();
  const res = await fetch(`http://${server.address}/openapi.json`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  doc = (await res.json()) as Json;
});

after(async () => {
  await server.cleanup();
});

/** `/images/{image_id}` → `/images/{imageId}`, by the JSON names of the request's fields. */
function openApiPath(template: string, input: DescMessage): string {
  return template.replace(/\{([^}=]+)(=[^}]*)?\}/g, (_, path: string) => {
    let desc: DescMessage | undefined = input;
    return `{${path.split('.').map((name) => {
      const f = desc!.fields.find((x) => x.name === name)!;
      desc = f.message;
      return f.jsonName;
    }).join('.')}}`;
  });
}

function resolveRef(ref: string): Json {
  return ref.slice(2).split('/').reduce((o: Json, k) => o?.[k], doc);
}

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(doc);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
    assert.equal(doc['openapi'], '3.1.0');
  });

  it('documents every annotated RPC the server serves, at its path and verb', async () => {
    const registry = await servedRegistry(server.address);
    let bindings = 0;
    for (const service of registry) {
      if (service.kind !== 'service') continue;
      for (const method of service.methods) {
        if (!hasOption(method, http)) continue;
        const rule = getOption(method, http);
        for (const r of [rule, ...rule.additionalBindings]) {
          const p = r.pattern;
          if (p.case === undefined) continue;
          const [verb, template]: [string, string] = p.case === 'custom' ? [p.value.kind.toLowerCase(), p.value.path] : [p.case, p.value];
          const where: string = `${verb.toUpperCase()} ${template} (${service.typeName}.${method.name})`;
          const op = doc['paths'][openApiPath(template, method.input)]?.[verb];
          assert.ok(op, `${where} is not documented`);
          assert.equal(op.summary, `${service.name}.${method.name}`, where);
          const pathParams = (op.parameters ?? []).filter((x: Json) => x.in === 'path').length;
          assert.equal(pathParams, (template.match(/\{/g) ?? []).length, `${where}: path parameters`);
          assert.equal(op.requestBody !== undefined, r.body !== '', `${where}: request body`);
          const ok = op.responses['200'].content['application/json'].schema;
          if (!r.responseBody && method.output.typeName !== 'google.protobuf.Empty') {
            assert.equal(ok.$ref, `#/components/schemas/${method.output.typeName}`, where);
          }
          assert.equal(op.responses.default.$ref, '#/components/responses/Error', where);
          bindings++;
        }
      }
    }
    assert.ok(bindings >= 18, `only ${bindings} annotated bindings found`);
  });

  it('resolves every $ref, and operation ids are unique', () => {
    const refs: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) (k === '$ref' ? refs.push(x as string) : walk(x));
      }
    };
    walk(doc);
    for (const ref of new Set(refs)) assert.ok(resolveRef(ref), `${ref} does not resolve`);
    const ids = Object.values(doc['paths']).flatMap((item: any) => Object.values(item).map((op: any) => op.operationId));
    assert.equal(new Set(ids).size, ids.length);
  });

  it('maps parameters as proto3 JSON: path, camelCase query, required, int64 as string', () => {
    const list = doc['paths']['/cloud-desktop/v1/images'].get;
    assert.deepEqual(list.parameters.map((x: Json) => [x.name, x.in, x.required ?? false]), [
      ['folderId', 'query', true], ['pageSize', 'query', false], ['pageToken', 'query', false],
      ['filter', 'query', false], ['orderBy', 'query', false],
    ]);
    assert.deepEqual(list.parameters[0].schema, { type: 'string', maxLength: 50 });
    assert.equal(list.parameters[1].schema.type, 'string');
    assert.equal(list.parameters[1].schema.format, 'int64');
    const get = doc['paths']['/compute/v1/images/{imageId}'].get;
    assert.deepEqual(get.parameters, [{ name: 'imageId', in: 'path', required: true, schema: { type: 'string', maxLength: 50 } }]);
    const cancel = doc['paths']['/operations/{operationId}:cancel'].get;
    assert.equal(cancel.parameters[0].name, 'operationId');
    assert.equal(doc['paths']['/operations/{operationId}:cancel'].post, undefined, 'the POST alias is not documented');
  });

  it('describes bodies: body "*" whole, path fields left out of it', () => {
    const copy = doc['paths']['/cloud-desktop/v1/images:copy'].post;
    assert.equal(copy.parameters, undefined);
    assert.deepEqual(copy.requestBody.content['application/json'].schema, { $ref: '#/components/schemas/yandex.cloud.clouddesktop.v1.api.CopyDesktopImageRequest' });
    const update = doc['paths']['/cloud-desktop/v1/images/{imageId}'].patch;
    const body = update.requestBody.content['application/json'].schema;
    assert.deepEqual(Object.keys(body.properties), ['updateMask', 'name', 'labels', 'description']);
    assert.deepEqual(body.properties.updateMask.type, 'string');
  });

  it('maps types and limits: Timestamp, int64, enums by name, maps, Any, the error body, bearer auth', () => {
    const s = doc['components']['schemas'];
    const image = s['yandex.cloud.clouddesktop.v1.api.DesktopImage'];
    assert.deepEqual(image.properties.createdAt, { type: 'string', format: 'date-time' });
    assert.deepEqual(image.properties.storageSize, { type: 'string', format: 'int64' });
    assert.deepEqual(resolveRef(image.properties.status.$ref), { type: 'string', enum: ['STATUS_UNSPECIFIED', 'CREATING', 'ACTIVE', 'DELETING'] });
    const labels = s['yandex.cloud.clouddesktop.v1.api.CopyDesktopImageRequest'].properties.labels;
    assert.deepEqual(labels, {
      type: 'object',
      additionalProperties: { type: 'string', maxLength: 63, pattern: '^(?:[-_0-9a-z]*)$' },
      maxProperties: 64,
      propertyNames: { minLength: 1, maxLength: 63, pattern: '^(?:[a-z][-_0-9a-z]*)$' },
    });
    const create = s['yandex.cloud.compute.v1.CreateImageRequest'];
    assert.deepEqual(create.oneOf, ['imageId', 'diskId', 'snapshotId', 'uri'].map((f) => ({ required: [f] })));
    const op = s['yandex.cloud.operation.Operation'];
    assert.deepEqual(op.properties.metadata.required, ['@type']);
    assert.equal(op.properties.error.$ref, '#/components/schemas/google.rpc.Status');
    const status = s['google.rpc.Status'];
    assert.deepEqual(Object.keys(status.properties), ['code', 'message', 'details']);
    assert.equal(status.properties.details.items.properties['@type'].type, 'string');
    const error = doc['components']['responses']['Error'];
    assert.equal(error.content['application/json'].schema.$ref, '#/components/schemas/google.rpc.Status');
    assert.deepEqual(doc['components']['securitySchemes']['bearerAuth'], { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <token>' });
    assert.deepEqual(doc['security'], [{ bearerAuth: [] }]);
  });
});
