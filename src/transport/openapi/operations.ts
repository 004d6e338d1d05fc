/**
 * One REST route (from the transcoder's route table, so the document describes exactly what is
 * served) as an OpenAPI Operation: path parameters from the template, query parameters for the
 * fields that neither the path nor the body carries, the request body per `body`, the response
 * per `response_body`, and the shared error response for every non-2xx status.
 *
 *   openApiPath(route.template)          // '/cloud-desktop/v1/images/{imageId}'
 *   operationOf(route, schemas)          // { operationId: 'DesktopImageService_Get', parameters: [...], ... }
 */
import type { DescField, DescMessage } from '@bufbuild/protobuf';
import type { Route } from '../rest/route-table.js';
import type { PathTemplate } from '../rest/path-template.js';
import type { Schema } from './constraints.js';
import { getOption } from '@bufbuild/protobuf';
import { required } from '../../gen/yandex/cloud/validation_pb.js';
import type { SchemaBuilder } from './schemas.js';

/** Well-known types a query string can carry as one string (see rest/json-fields.ts). */
const STRING_WKT = /^google\.protobuf\.(Timestamp|Duration|FieldMask|[A-Za-z0-9]+Value)$/;
const OBJECT_WKT = /^google\.protobuf\.(Struct|Value|ListValue|Any|Empty)$/;

/** The template with each variable named by its JSON field path: `{image_id}` → `{imageId}`. */
export function openApiPath(template: PathTemplate, input: DescMessage): string {
  let i = 0;
  return template.source.replace(/\{[^}]*\}/g, () => `{${jsonPath(input, template.variables[i++]!.fieldPath)}}`);
}

export function operationOf(route: Route, schemas: SchemaBuilder, operationId: string): Schema {
  const { service, method } = route.call;
  const input = method.input;
  const bound = new Set(route.template.variables.map((v) => v.key));
  const parameters: Schema[] = route.template.variables.map((v) => ({
    name: jsonPath(input, v.fieldPath),
    in: 'path',
    required: true,
    schema: schemas.field(fieldAt(input, v.fieldPath)),
  }));
  if (route.body !== '*') {
    const skip = new Set([...bound, ...(route.body ? [route.body] : [])]);
    queryParameters(input, schemas, skip, parameters, '', '', [input]);
  }
  const op: Schema = {
    operationId,
    summary: `${service.name}.${method.name}`,
    description: `gRPC: ${route.call.path}`,
    tags: [service.typeName],
  };
  if (method.deprecated) op['deprecated'] = true;
  if (parameters.length > 0) op['parameters'] = parameters;
  if (route.body !== '') {
    let schema: Schema;
    if (route.body !== '*') schema = schemas.field(fieldAt(input, [route.body]));
    else if (bound.size === 0) schema = schemas.message(input);
    else schema = schemas.object(input, new Set([...bound].filter((p) => !p.includes('.'))));
    op['requestBody'] = { required: true, content: { 'application/json': { schema } } };
  }
  const output = route.responseBody ? schemas.field(fieldAt(method.output, [route.responseBody])) : schemas.message(method.output);
  op['responses'] = {
    '200': { description: method.output.typeName, headers: TRACE_HEADERS, content: { 'application/json': { schema: output } } },
    default: { $ref: '#/components/responses/Error' },
  };
  return op;
}

export const TRACE_HEADERS: Schema = {
  'x-request-id': { $ref: '#/components/headers/RequestId' },
  'x-server-trace-id': { $ref: '#/components/headers/ServerTraceId' },
};

/**
 * Every field a query string can set, nested ones dotted (`parent.childId`), repeated ones as
 * arrays given once per value. Maps, lists of messages and JSON-object types cannot be.
 */
function queryParameters(desc: DescMessage, schemas: SchemaBuilder, skip: ReadonlySet<string>, out: Schema[],
  protoPrefix: string, jsonPrefix: string, seen: DescMessage[]): void {
  for (const f of desc.fields) {
    const protoName = protoPrefix + f.name;
    const name = jsonPrefix + f.jsonName;
    if (skip.has(protoName) || f.fieldKind === 'map') continue;
    const msg = f.message;
    if (msg && OBJECT_WKT.test(msg.typeName)) continue;
    if (msg && !STRING_WKT.test(msg.typeName)) {
      if (f.fieldKind === 'message' && !seen.includes(msg)) {
        queryParameters(msg, schemas, skip, out, `${protoName}.`, `${name}.`, [...seen, msg]);
      }
      continue;
    }
    const param: Schema = { name, in: 'query', schema: schemas.field(f) };
    // A nested field is only needed once its parent is given, which a query cannot say.
    if (protoPrefix === '' && getOption(f, required)) param['required'] = true;
    if (f.fieldKind === 'list') Object.assign(param, { style: 'form', explode: true });
    out.push(param);
  }
}

function fieldAt(desc: DescMessage, path: readonly string[]): DescField {
  let current: DescMessage = desc;
  let field: DescField | undefined;
  for (const name of path) {
    field = current.fields.find((f) => f.name === name);
    if (!field) throw new Error(`${path.join('.')} names no field of ${desc.typeName}`);
    if (field.message) current = field.message;
  }
  return field!;
}

function jsonPath(desc: DescMessage, path: readonly string[]): string {
  const names: string[] = [];
  let current: DescMessage = desc;
  for (let i = 0; i < path.length; i++) {
    const field = fieldAt(current, [path[i]!]);
    names.push(field.jsonName);
    if (field.message) current = field.message;
  }
  return names.join('.');
}
