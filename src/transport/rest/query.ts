/**
 * Query string → proto3 JSON object, for the fields of a request that are not bound to the path
 * or the body. Names are JSON or proto names, nested fields dotted, repeated fields repeated:
 *
 *   ?folderId=f&page_size=20&filter=name%3D%22a%22   → { folderId: 'f', pageSize: '20', filter: 'name="a"' }
 *   ?parent.child_id=x&ids=a&ids=b                    → { parent: { childId: 'x' }, ids: ['a', 'b'] }
 *
 * Values are then parsed by fromJson exactly like a JSON body: int64 and enums as in proto3
 * JSON, FieldMask comma-separated. A parameter that names no field, names a whole message or a
 * map, or repeats a singular field is INVALID_ARGUMENT naming the parameter.
 */
import type { DescMessage } from '@bufbuild/protobuf';
import { InvalidArgumentError } from '../../domain/errors.js';
import { fieldByName, jsonFromString } from './json-fields.js';

type JsonObject = Record<string, unknown>;

export function queryToJson(desc: DescMessage, params: URLSearchParams): JsonObject {
  const out: JsonObject = {};
  for (const [name, value] of params) setFromQuery(desc, out, name, value);
  return out;
}

function setFromQuery(root: DescMessage, out: JsonObject, name: string, value: string): void {
  const parts = name.split('.');
  let desc = root;
  let obj = out;
  const path: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const field = fieldByName(desc, parts[i]!);
    if (!field) throw InvalidArgumentError.field(name, 'Unknown query parameter');
    path.push(field.name);
    const last = i === parts.length - 1;
    if (!last) {
      if (field.fieldKind !== 'message') throw InvalidArgumentError.field(path.join('.'), 'Not a message: has no fields');
      const child = (obj[field.jsonName] ??= {}) as JsonObject;
      if (typeof child !== 'object' || Array.isArray(child)) throw InvalidArgumentError.field(path.join('.'), 'Given more than once');
      obj = child;
      desc = field.message;
      continue;
    }
    const at = path.join('.');
    if (field.fieldKind === 'map') throw InvalidArgumentError.field(at, 'A map cannot be given in the query string');
    const json = jsonFromString(field, value);
    if (json === undefined) throw InvalidArgumentError.field(at, 'A message must be given by its fields, as field.subfield=value');
    if (field.fieldKind === 'list') {
      const list = (obj[field.jsonName] ??= []) as unknown[];
      list.push(json);
    } else {
      if (field.jsonName in obj) throw InvalidArgumentError.field(at, 'Given more than once');
      obj[field.jsonName] = json;
    }
  }
}
