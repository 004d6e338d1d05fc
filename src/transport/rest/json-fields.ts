/**
 * Field lookups the transcoder shares: a field by its JSON (lowerCamelCase) or proto
 * (snake_case) name, the proto3 JSON value of a string taken from a URL, and the strict check
 * that a JSON body names only fields that exist, reported with their proto paths.
 *
 *   fieldByName(ListDesktopImagesRequestSchema, 'pageSize')      // → the page_size field
 *   jsonFromString(pageSizeField, '20')                           // → '20' (int64 as string)
 *   unknownFields(CopyDesktopImageRequestSchema, { nmae: 'x' })   // → ['nmae']
 *   findField(schema, json, (f) => f === badField)                // → { path: 'a[0].b', field, value }
 */
import { ScalarType, type DescField, type DescMessage } from '@bufbuild/protobuf';
import { hasCustomJsonRepresentation, isWrapperDesc } from '@bufbuild/protobuf/wkt';

const byName = new WeakMap<DescMessage, Map<string, DescField>>();

export function fieldByName(desc: DescMessage, name: string): DescField | undefined {
  let names = byName.get(desc);
  if (!names) {
    names = new Map();
    for (const f of desc.fields) {
      names.set(f.name, f);
      names.set(f.jsonName, f);
    }
    byName.set(desc, names);
  }
  return names.get(name);
}

/** The JSON value a URL string stands for, for a singular, list or WKT field; undefined if it cannot. */
export function jsonFromString(field: DescField, text: string): unknown {
  switch (field.fieldKind) {
    case 'scalar':
    case 'list':
      if (field.scalar !== undefined) return scalarFromString(field.scalar, text);
      if (field.enum !== undefined) return /^-?\d+$/.test(text) ? Number(text) : text;
      return field.message && hasCustomJsonRepresentation(field.message) ? wktFromString(field.message, text) : undefined;
    case 'enum':
      return /^-?\d+$/.test(text) ? Number(text) : text;
    case 'message':
      return hasCustomJsonRepresentation(field.message) ? wktFromString(field.message, text) : undefined;
    default:
      return undefined;
  }
}

function scalarFromString(scalar: ScalarType, text: string): unknown {
  if (scalar === ScalarType.BOOL) return text === 'true' ? true : text === 'false' ? false : text;
  // Numbers stay strings: proto3 JSON accepts "20" for every numeric type, and bad text is
  // then reported by fromJson with the field named.
  return text;
}

function wktFromString(desc: DescMessage, text: string): unknown {
  if (isWrapperDesc(desc)) return scalarFromString(desc.fields[0]!.scalar!, text);
  // Timestamp, Duration and FieldMask are strings in proto3 JSON; Struct & co. cannot be given.
  return ['google.protobuf.Timestamp', 'google.protobuf.Duration', 'google.protobuf.FieldMask'].includes(desc.typeName)
    ? text
    : undefined;
}

/** Paths (proto names, `a[0].b`, `m.key.c`) of JSON keys that name no field of `desc`. */
export function unknownFields(desc: DescMessage, json: unknown, prefix = '', out: string[] = []): string[] {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return out;
  for (const [key, value] of Object.entries(json)) {
    const field = fieldByName(desc, key);
    const at = prefix ? `${prefix}.${field?.name ?? key}` : (field?.name ?? key);
    if (!field) {
      out.push(at);
      continue;
    }
    if (!field.message || hasCustomJsonRepresentation(field.message)) continue;
    if (field.fieldKind === 'list' && Array.isArray(value)) {
      value.forEach((v, i) => unknownFields(field.message!, v, `${at}[${i}]`, out));
    } else if (field.fieldKind === 'map' && typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) unknownFields(field.message, v, `${at}.${k}`, out);
    } else if (field.fieldKind === 'message') {
      unknownFields(field.message, value, at, out);
    }
  }
  return out;
}

export interface FoundField {
  /** Proto path, as in unknownFields. */
  readonly path: string;
  readonly field: DescField;
  readonly value: unknown;
}

/** The first field given in `json` (at any depth) that passes `test`, with its path and value. */
export function findField(desc: DescMessage, json: unknown, test: (f: DescField) => boolean, prefix = ''): FoundField | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  for (const [key, value] of Object.entries(json)) {
    const field = fieldByName(desc, key);
    if (!field) continue;
    const at = prefix ? `${prefix}.${field.name}` : field.name;
    if (test(field)) return { path: at, field, value };
    if (!field.message || hasCustomJsonRepresentation(field.message)) continue;
    const inner = field.message;
    const entries: [string, unknown][] =
      field.fieldKind === 'list' && Array.isArray(value) ? value.map((v, i) => [`${at}[${i}]`, v])
        : field.fieldKind === 'map' && typeof value === 'object' && value !== null ? Object.entries(value).map(([k, v]) => [`${at}.${k}`, v])
          : field.fieldKind === 'message' ? [[at, value]]
            : [];
    for (const [path, v] of entries) {
      const found = findField(inner, v, test, path);
      if (found) return found;
    }
  }
  return undefined;
}
