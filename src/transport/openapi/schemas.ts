/**
 * Messages, enums and fields as OpenAPI 3.1 (JSON Schema 2020-12) schemas of their proto3 JSON
 * form: lowerCamelCase names, 64-bit integers as strings, enums by name, maps as objects, and
 * the well-known types in their own JSON shapes (Timestamp an RFC 3339 string, FieldMask a
 * comma-separated string, Any an object with "@type"). Messages and enums become components
 * named by their full proto name; every one reached is collected in `components`.
 *
 *   const schemas = new SchemaBuilder();
 *   schemas.message(DesktopImageSchema);
 *   // → { $ref: '#/components/schemas/yandex.cloud.clouddesktop.v1.api.DesktopImage' }
 *   schemas.components['yandex.cloud.clouddesktop.v1.api.DesktopImage.Status']
 *   // → { type: 'string', enum: ['STATUS_UNSPECIFIED', 'CREATING', 'ACTIVE', 'DELETING'] }
 */
import { getOption, ScalarType, type DescEnum, type DescField, type DescMessage } from '@bufbuild/protobuf';
import { exactly_one, required } from '../../gen/yandex/cloud/validation_pb.js';
import { containerKeywords, is64Bit, valueKeywords, type Schema } from './constraints.js';

const WKT: Record<string, Schema> = {
  'google.protobuf.Timestamp': { type: 'string', format: 'date-time' },
  'google.protobuf.Duration': { type: 'string', pattern: '^-?[0-9]+(\\.[0-9]{1,9})?s$', description: 'Seconds with an "s" suffix, e.g. "1.5s".' },
  'google.protobuf.FieldMask': { type: 'string', description: 'Comma-separated field paths in lowerCamelCase, e.g. "name,labels".' },
  'google.protobuf.Empty': { type: 'object' },
  'google.protobuf.Any': {
    type: 'object',
    properties: { '@type': { type: 'string', description: 'Type URL of the packed message, e.g. "type.googleapis.com/google.rpc.BadRequest".' } },
    required: ['@type'],
    additionalProperties: true,
  },
  'google.protobuf.Struct': { type: 'object', additionalProperties: true },
  'google.protobuf.Value': {},
  'google.protobuf.ListValue': { type: 'array', items: {} },
  'google.protobuf.DoubleValue': { type: ['number', 'null'], format: 'double' },
  'google.protobuf.FloatValue': { type: ['number', 'null'], format: 'float' },
  'google.protobuf.Int64Value': { type: ['string', 'null'], format: 'int64' },
  'google.protobuf.UInt64Value': { type: ['string', 'null'], format: 'uint64' },
  'google.protobuf.Int32Value': { type: ['integer', 'null'], format: 'int32' },
  'google.protobuf.UInt32Value': { type: ['integer', 'null'], format: 'uint32', minimum: 0 },
  'google.protobuf.BoolValue': { type: ['boolean', 'null'] },
  'google.protobuf.StringValue': { type: ['string', 'null'] },
  'google.protobuf.BytesValue': { type: ['string', 'null'], contentEncoding: 'base64' },
};

export function scalarSchema(t: ScalarType): Schema {
  switch (t) {
    case ScalarType.STRING: return { type: 'string' };
    case ScalarType.BYTES: return { type: 'string', contentEncoding: 'base64' };
    case ScalarType.BOOL: return { type: 'boolean' };
    case ScalarType.DOUBLE: return { type: 'number', format: 'double' };
    case ScalarType.FLOAT: return { type: 'number', format: 'float' };
    case ScalarType.UINT32:
    case ScalarType.FIXED32: return { type: 'integer', format: 'uint32', minimum: 0 };
    case ScalarType.UINT64:
    case ScalarType.FIXED64: return { type: 'string', format: 'uint64' };
    default: return is64Bit(t) ? { type: 'string', format: 'int64' } : { type: 'integer', format: 'int32' };
  }
}

const KEY_NAMES: Partial<Record<ScalarType, Schema>> = { [ScalarType.BOOL]: { enum: ['true', 'false'] } };

export class SchemaBuilder {
  /** Every message and enum reached so far, by full proto name. */
  readonly components: Record<string, Schema> = {};

  /** A well-known type inline, any other message by reference. */
  message(desc: DescMessage): Schema {
    const wkt = WKT[desc.typeName];
    if (wkt) return structuredClone(wkt);
    if (!(desc.typeName in this.components)) {
      this.components[desc.typeName] = {}; // claimed first: recursive types terminate
      this.components[desc.typeName] = this.object(desc);
    }
    return { $ref: `#/components/schemas/${desc.typeName}` };
  }

  enum(desc: DescEnum): Schema {
    if (desc.typeName === 'google.protobuf.NullValue') return { type: 'null' };
    this.components[desc.typeName] ??= { type: 'string', enum: desc.values.map((v) => v.name) };
    return { $ref: `#/components/schemas/${desc.typeName}` };
  }

  /** The JSON form of one field, with the validation limits it carries. */
  field(f: DescField): Schema {
    const element = (): Schema => {
      if (f.enum) return this.enum(f.enum);
      if (f.message) return this.message(f.message);
      return { ...scalarSchema(f.scalar!), ...valueKeywords(f, f.scalar) };
    };
    let schema: Schema;
    if (f.fieldKind === 'list') schema = { type: 'array', items: element(), ...containerKeywords(f) };
    else if (f.fieldKind === 'map') {
      const keys = KEY_NAMES[f.mapKey] ?? (f.mapKey === ScalarType.STRING ? undefined : { pattern: '^-?[0-9]+$' });
      schema = { type: 'object', additionalProperties: element(), ...(keys ? { propertyNames: keys } : {}), ...containerKeywords(f) };
    } else schema = element();
    if (f.deprecated) schema['deprecated'] = true;
    return schema;
  }

  /**
   * A message as an object schema, without the fields in `omit` (proto names: those a REST
   * request carries in its path). A oneof with `(exactly_one)` becomes a `oneOf` of its members.
   */
  object(desc: DescMessage, omit: ReadonlySet<string> = new Set()): Schema {
    const properties: Record<string, Schema> = {};
    const needed: string[] = [];
    for (const f of desc.fields) {
      if (omit.has(f.name)) continue;
      properties[f.jsonName] = this.field(f);
      if (getOption(f, required)) needed.push(f.jsonName);
    }
    const schema: Schema = { type: 'object', properties };
    if (needed.length > 0) schema['required'] = needed;
    const choices: Schema[] = [];
    const notes: string[] = [];
    for (const o of desc.oneofs) {
      const members = o.fields.filter((f) => !omit.has(f.name)).map((f) => f.jsonName);
      if (members.length === 0) continue;
      const exactly = getOption(o, exactly_one);
      notes.push(`${exactly ? 'Exactly' : 'At most'} one of ${members.join(', ')} is set.`);
      if (exactly) choices.push({ oneOf: members.map((m) => ({ required: [m] })) });
    }
    if (choices.length === 1) Object.assign(schema, choices[0]);
    else if (choices.length > 1) schema['allOf'] = choices;
    if (notes.length > 0) schema['description'] = notes.join(' ');
    return schema;
  }
}
