/**
 * Builds the request message of a route from its three sources, as google.api.http says:
 * path variables, then the body (`body: "*"`: every other field; `body: "field"`: that field),
 * then the query string for whatever the body does not carry. Everything becomes one proto3 JSON
 * object that protobuf-es `fromJson` parses, so int64, enums, FieldMask and Timestamps read the
 * same from a URL as from a body.
 *
 *   const req = requestMessage(route, params, url.searchParams, body, registry);
 *
 * Strictness (our choice where google.api.http and the conventions leave it open):
 * - an unknown JSON field or query parameter is INVALID_ARGUMENT naming it;
 * - `body: "*"` methods take no query parameters (INVALID_ARGUMENT naming the parameter);
 * - a field both in the path and in the body or query must hold the same value there, else
 *   INVALID_ARGUMENT naming the field (never a silent "path wins").
 */
import { fromJson, ScalarType, type DescMessage, type JsonValue, type Message, type Registry } from '@bufbuild/protobuf';
import { isFieldError } from '@bufbuild/protobuf/reflect';
import { InvalidArgumentError } from '../../domain/errors.js';
import { fieldByName, findField, jsonFromString, unknownFields } from './json-fields.js';
import { queryToJson } from './query.js';
import type { Route } from './route-table.js';

type JsonObject = Record<string, unknown>;

/** `body` is the parsed JSON body, or undefined when the request had none. */
export function requestMessage(
  route: Route,
  params: Map<string, string>,
  query: URLSearchParams,
  body: unknown,
  registry: Registry,
): Message {
  const desc = route.call.method.input;
  let json: JsonObject;
  if (route.body === '*') {
    const extra = [...query.keys()][0];
    if (extra !== undefined) throw InvalidArgumentError.field(extra, 'Not accepted in the query string: this method reads every field from the body');
    if (body !== undefined && !isObject(body)) throw new InvalidArgumentError([], 'Request body must be a JSON object');
    json = (body ?? {}) as JsonObject;
    rejectUnknown(desc, json, '');
  } else {
    json = queryToJson(desc, query);
    if (route.body !== '') {
      const field = fieldByName(desc, route.body)!;
      if (field.jsonName in json) throw InvalidArgumentError.field(field.name, 'Given in both the query string and the body');
      if (body !== undefined) json[field.jsonName] = body;
      if (field.message) rejectUnknown(field.message, body, field.name);
    }
  }
  for (const [path, value] of params) setPathParam(desc, json, path.split('.'), value);
  try {
    return fromJson(desc, json as JsonValue, { registry });
  } catch (err) {
    throw decodeError(err, desc, json);
  }
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function rejectUnknown(desc: DescMessage, json: unknown, prefix: string): void {
  const unknown = unknownFields(desc, json, prefix);
  if (unknown.length > 0) throw new InvalidArgumentError(unknown.map((field) => ({ field, description: 'Unknown field' })));
}

function setPathParam(root: DescMessage, json: JsonObject, fieldPath: string[], value: string): void {
  let desc = root;
  let obj = json;
  for (let i = 0; i < fieldPath.length; i++) {
    const field = fieldByName(desc, fieldPath[i]!);
    if (!field) throw new Error(`path variable ${fieldPath.join('.')} names no field of ${root.typeName}`);
    const key = field.name in obj ? field.name : field.jsonName;
    if (i < fieldPath.length - 1) {
      if (field.fieldKind !== 'message') throw new Error(`path variable ${fieldPath.join('.')}: ${field.name} is not a message`);
      const child = obj[key];
      obj = isObject(child) ? child : (obj[key] = {});
      desc = field.message;
      continue;
    }
    const given = obj[key];
    if (given !== undefined && String(given) !== value) {
      throw InvalidArgumentError.field(fieldPath.join('.'), `Given as "${value}" in the path and as ${JSON.stringify(given)} in the request`);
    }
    delete obj[field.name];
    obj[field.jsonName] = jsonFromString(field, value);
  }
}

/**
 * fromJson's error as INVALID_ARGUMENT naming the field by its full proto path. protobuf-es
 * names the leaf field (FieldError) or only the type, for well-known types and enums; the path
 * is found again in the JSON that was parsed.
 */
function decodeError(err: unknown, desc: DescMessage, json: JsonObject): InvalidArgumentError {
  const text = err instanceof Error ? err.message : String(err);
  const cause = err instanceof Error ? err.cause : undefined;
  const typeName = /^cannot decode (?:message|enum) ([\w.]+) from JSON: /.exec(text)?.[1];
  const found = isFieldError(cause)
    ? findField(desc, json, (f) => f === cause.field())
    : typeName && findField(desc, json, (f) => f.message?.typeName === typeName || f.enum?.typeName === typeName);
  const reason = strip(isFieldError(cause) ? cause.message : text);
  if (!found) {
    // e.g. two members of a oneof: protobuf-es names the oneof, which has no JSON value of its own.
    if (isFieldError(cause)) return InvalidArgumentError.field(cause.field().name, capitalize(reason));
    return new InvalidArgumentError([], `Request validation error: ${capitalize(reason)}`);
  }
  const { field, value } = found;
  const typeProblem = reason.startsWith('expected') || (typeName !== undefined && field.enum?.typeName === typeName);
  const expected = field.scalar !== undefined
    ? ScalarType[field.scalar].toLowerCase()
    : field.enum
      ? `one of ${field.enum.values.map((v) => v.name).join(', ')}`
      : undefined;
  const description = typeProblem && expected && field.fieldKind !== 'map' && typeof value !== 'object'
    ? `Invalid value ${JSON.stringify(value)}: expected ${expected}`
    : capitalize(reason);
  return InvalidArgumentError.field(found.path, description);
}

function strip(text: string): string {
  return text.replace(/^cannot decode .*? from JSON: /, '');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
