/**
 * The document for a made-up service that uses what the clouddesk protos do not: nested and
 * repeated query parameters, a recursive message, `body: "field"`, `response_body`, a nested
 * path variable and additional bindings.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { create, createFileRegistry, setExtension } from '@bufbuild/protobuf';
import {
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as Type,
  FileDescriptorProtoSchema,
  MethodOptionsSchema,
  file_google_protobuf_descriptor,
  file_google_protobuf_timestamp,
  type FileDescriptorProto,
} from '@bufbuild/protobuf/wkt';
import { file_google_api_annotations, http } from '../../gen/google/api/annotations_pb.js';
import { file_google_api_http, HttpRuleSchema } from '../../gen/google/api/http_pb.js';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Router } from '../rpc.js';
import { openApiDocument } from './document.js';

// protoc fills json_name in; a hand-made descriptor has to as well.
const field = (name: string, number: number, type: Type, extra: Record<string, unknown> = {}) =>
  ({ name, number, type, label: Label.OPTIONAL, jsonName: name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), ...extra });

function searchService() {
  const options = create(MethodOptionsSchema);
  setExtension(options, http, create(HttpRuleSchema, {
    pattern: { case: 'get', value: '/v1/{parent_id}/search' },
    responseBody: 'results',
    additionalBindings: [
      { pattern: { case: 'post', value: '/v1/{parent_id}/search:byFilter' }, body: 'filter' },
      { pattern: { case: 'delete', value: '/v1/{parent_id}/filters/{filter.name}' } },
    ],
  }));
  const file = create(FileDescriptorProtoSchema, {
    name: 'test/search.proto',
    package: 'test.v1',
    syntax: 'proto3',
    dependency: ['google/api/annotations.proto', 'google/protobuf/timestamp.proto'],
    enumType: [{ name: 'State', value: [{ name: 'STATE_UNSPECIFIED', number: 0 }, { name: 'ON', number: 1 }] }],
    messageType: [
      {
        name: 'Filter',
        field: [
          field('name', 1, Type.STRING),
          field('tag_ids', 2, Type.STRING, { label: Label.REPEATED }),
          field('since', 3, Type.MESSAGE, { typeName: '.google.protobuf.Timestamp' }),
          field('parent', 4, Type.MESSAGE, { typeName: '.test.v1.Filter' }),
        ],
      },
      {
        name: 'SearchRequest',
        field: [
          field('parent_id', 1, Type.STRING),
          field('filter', 2, Type.MESSAGE, { typeName: '.test.v1.Filter' }),
          field('states', 3, Type.ENUM, { label: Label.REPEATED, typeName: '.test.v1.State' }),
          field('labels', 4, Type.MESSAGE, { label: Label.REPEATED, typeName: '.test.v1.SearchRequest.LabelsEntry' }),
          field('filters', 5, Type.MESSAGE, { label: Label.REPEATED, typeName: '.test.v1.Filter' }),
          field('page_size', 6, Type.INT64),
        ],
        nestedType: [{
          name: 'LabelsEntry',
          field: [field('key', 1, Type.STRING), field('value', 2, Type.STRING)],
          options: { mapEntry: true },
        }],
      },
      { name: 'SearchResponse', field: [field('results', 1, Type.STRING, { label: Label.REPEATED })] },
    ],
    service: [{ name: 'SearchService', method: [{ name: 'Search', inputType: '.test.v1.SearchRequest', outputType: '.test.v1.SearchResponse', options }] }],
  });
  const deps = new Map<string, FileDescriptorProto>(
    [file_google_api_annotations, file_google_api_http, file_google_protobuf_descriptor, file_google_protobuf_timestamp]
      .map((f) => [f.proto.name, f.proto]),
  );
  return createFileRegistry(file, (name) => deps.get(name)).getService('test.v1.SearchService')!;
}

type Json = Record<string, any>;
const doc = openApiDocument(new Router().add(searchService(), {})) as Json;
const params = (op: Json) => (op['parameters'] as Json[]).map((p) => [p['name'], p['in']]);

describe('openApiDocument', () => {
  it('is valid OpenAPI 3.1', async () => {
    const result = await new Validator().validate(doc);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
  });

  it('walks nested fields into dotted query names, once per recursive type, skipping maps and message lists', () => {
    const get = doc['paths']['/v1/{parentId}/search']['get'];
    assert.deepEqual(params(get), [
      ['parentId', 'path'], ['filter.name', 'query'], ['filter.tagIds', 'query'], ['filter.since', 'query'],
      ['states', 'query'], ['pageSize', 'query'],
    ]);
    const tagIds = get.parameters[2];
    assert.deepEqual(tagIds, { name: 'filter.tagIds', in: 'query', schema: { type: 'array', items: { type: 'string' } }, style: 'form', explode: true });
    assert.deepEqual(get.parameters[3].schema, { type: 'string', format: 'date-time' });
    assert.deepEqual(get.parameters[4].schema, { type: 'array', items: { $ref: '#/components/schemas/test.v1.State' } });
  });

  it('answers with the response_body field, and names additional bindings apart', () => {
    const get = doc['paths']['/v1/{parentId}/search']['get'];
    assert.equal(get.operationId, 'SearchService_Search');
    assert.deepEqual(get.responses['200'].content['application/json'].schema, { type: 'array', items: { type: 'string' } });
    assert.equal(doc['paths']['/v1/{parentId}/search:byFilter']['post'].operationId, 'SearchService_Search_2');
    assert.equal(doc['paths']['/v1/{parentId}/filters/{filter.name}']['delete'].operationId, 'SearchService_Search_3');
  });

  it('takes body "field" as that field, leaving the other fields to the query', () => {
    const post = doc['paths']['/v1/{parentId}/search:byFilter']['post'];
    assert.deepEqual(post.requestBody.content['application/json'].schema, { $ref: '#/components/schemas/test.v1.Filter' });
    assert.deepEqual(params(post), [['parentId', 'path'], ['states', 'query'], ['pageSize', 'query']]);
  });

  it('names a nested path variable by its JSON path and keeps it out of the query', () => {
    const del = doc['paths']['/v1/{parentId}/filters/{filter.name}']['delete'];
    assert.deepEqual(params(del).slice(0, 3), [['parentId', 'path'], ['filter.name', 'path'], ['filter.tagIds', 'query']]);
  });

  it('describes the recursive message as one component, and a GET request by its parameters only', () => {
    const s = doc['components']['schemas'];
    assert.deepEqual(s['test.v1.Filter'].properties.parent, { $ref: '#/components/schemas/test.v1.Filter' });
    assert.equal(s['test.v1.SearchRequest'], undefined, 'a GET request is described by its parameters');
  });
});
