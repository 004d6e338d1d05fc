/**
 * The `yandex.cloud` validation options of a field (proto/yandex/cloud/validation.proto) as JSON
 * Schema keywords, so the OpenAPI document states the limits that src/transport/validation.ts
 * enforces. Only what JSON Schema can say exactly is stated:
 *
 *   (length) = "<=50"           → maxLength: 50            (each value of a list or map)
 *   (pattern) = "[a-z]*"        → pattern: "^(?:[a-z]*)$"   (whole-value match, as enforced)
 *   (value) = "0-1000"          → minimum: 0, maximum: 1000 (int64 travels as a string: in words)
 *   (size) = "<=64"             → maxItems / maxProperties
 *   (map_key).length = "1-63"   → propertyNames: { minLength: 1, maxLength: 63 }
 *   (unique) = true             → uniqueItems: true
 *
 * `(required)` is read by the schema builder (it lands in the parent's `required` list).
 * `(bytes)` (a size in bytes) has no JSON Schema keyword and is left out.
 */
import { getOption, hasOption, ScalarType, type DescField } from '@bufbuild/protobuf';
import { length, map_key, pattern, size, unique, value } from '../../gen/yandex/cloud/validation_pb.js';

export type Schema = Record<string, unknown>;

interface Bounds {
  min?: bigint;
  max?: bigint;
}

/** `<=N`, `>=N`, `<N`, `>N`, `N` or `A-B` (inclusive); undefined when malformed. */
export function parseRange(spec: string): Bounds | undefined {
  const range = /^(-?\d+)-(-?\d+)$/.exec(spec);
  if (range) return { min: BigInt(range[1]!), max: BigInt(range[2]!) };
  const bound = /^(<=|>=|<|>)?(-?\d+)$/.exec(spec);
  if (!bound) return undefined;
  const n = BigInt(bound[2]!);
  switch (bound[1]) {
    case '<=': return { max: n };
    case '<': return { max: n - 1n };
    case '>=': return { min: n };
    case '>': return { min: n + 1n };
    default: return { min: n, max: n };
  }
}

function bounds(spec: string, minKey: string, maxKey: string): Schema {
  const b = parseRange(spec);
  if (!b) return {};
  const out: Schema = {};
  // A lower bound of 0 on a length or count says nothing.
  if (b.min !== undefined && (b.min > 0n || minKey === 'minimum')) out[minKey] = Number(b.min);
  if (b.max !== undefined) out[maxKey] = Number(b.max);
  return out;
}

/**
 * A whole-value match in the ECMAScript `u` dialect that OpenAPI 3.1 tooling compiles patterns
 * with. The API's patterns use identity escapes such as `\@`, which that dialect rejects, so a
 * needless escape is dropped; a pattern that still does not compile is left out.
 */
export function anchoredPattern(spec: string): string | undefined {
  const cleaned = spec.replace(/\\([^A-Za-z0-9^$\\.*+?()[\]{}|/-])/g, '$1');
  const anchored = `^(?:${cleaned})$`;
  try {
    new RegExp(anchored, 'u');
    return anchored;
  } catch {
    return undefined;
  }
}

/** Keywords for one value: a singular field, each list element or each map value. */
export function valueKeywords(field: DescField, scalar: ScalarType | undefined): Schema {
  const out: Schema = {};
  const len = getOption(field, length);
  if (len && scalar === ScalarType.STRING) Object.assign(out, bounds(len, 'minLength', 'maxLength'));
  const pat = getOption(field, pattern);
  const anchored = pat && scalar === ScalarType.STRING ? anchoredPattern(pat) : undefined;
  if (anchored) out['pattern'] = anchored;
  const range = getOption(field, value);
  if (range && scalar !== undefined && isNumeric(scalar)) {
    if (is64Bit(scalar)) {
      const b = parseRange(range);
      if (b) out['description'] = rangeWords(b);
    } else Object.assign(out, bounds(range, 'minimum', 'maximum'));
  }
  return out;
}

/** Keywords on a whole list or map field, and on the keys of a map. */
export function containerKeywords(field: DescField): Schema {
  const out: Schema = {};
  const spec = getOption(field, size);
  if (spec && field.fieldKind === 'list') Object.assign(out, bounds(spec, 'minItems', 'maxItems'));
  if (spec && field.fieldKind === 'map') Object.assign(out, bounds(spec, 'minProperties', 'maxProperties'));
  if (field.fieldKind === 'list' && getOption(field, unique)) out['uniqueItems'] = true;
  if (field.fieldKind === 'map' && hasOption(field, map_key)) {
    const key = getOption(field, map_key);
    const names: Schema = key.length ? bounds(key.length, 'minLength', 'maxLength') : {};
    const anchored = key.pattern ? anchoredPattern(key.pattern) : undefined;
    if (anchored) names['pattern'] = anchored;
    if (Object.keys(names).length > 0) out['propertyNames'] = names;
  }
  return out;
}

function isNumeric(t: ScalarType): boolean {
  return t !== ScalarType.STRING && t !== ScalarType.BYTES && t !== ScalarType.BOOL;
}

export function is64Bit(t: ScalarType): boolean {
  return [ScalarType.INT64, ScalarType.UINT64, ScalarType.SINT64, ScalarType.FIXED64, ScalarType.SFIXED64].includes(t);
}

function rangeWords(b: Bounds): string {
  if (b.min !== undefined && b.max !== undefined) return `Acceptable values are ${b.min} to ${b.max}, inclusive.`;
  if (b.max !== undefined) return `The maximum value is ${b.max}.`;
  return `The minimum value is ${b.min}.`;
}
