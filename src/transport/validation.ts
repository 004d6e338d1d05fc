/**
 * Request validation driven by the `yandex.cloud` options in proto/ (see
 * proto/yandex/cloud/validation.proto). No rule is written by hand: each message descriptor is
 * compiled once into a list of checks, so validating a request only walks the message.
 *
 *   assertValid(CopyDesktopImageRequestSchema, request); // throws InvalidArgumentError
 *   validateMessage(ListDesktopImagesRequestSchema, request);
 *   // → [{ field: 'page_size', description: 'Value must be in range 0-1000' }]
 *
 * Reporting (docs/decisions.md point 5, one entry per invalid field): a field, list element or map
 * entry yields at most one violation, the first rule it breaks, in the order required, size,
 * unique, then length, pattern, value, bytes of each value. Map problems are reported on the map
 * field (`labels`) with the key in the description. Paths use proto field names: `a[0].b.c`, and
 * `m.<key>.c` inside a map of messages.
 *
 * Beyond the options: string fields called `name` refuse control characters (noControlCharacters).
 *
 * A malformed option (`(length) = "<=5O"`, a bad regex, `(length)` on an int64) is a programming
 * error: compiling the message throws, naming the option and the field.
 */
import { getOption, hasOption, ScalarType } from '@bufbuild/protobuf';
import type { DescField, DescMessage, DescOneof, Message } from '@bufbuild/protobuf';
import { InvalidArgumentError, type FieldViolation } from '../domain/errors.js';
import {
  bytes, exactly_one, length, map_key, pattern, required, size, unique, value,
} from '../gen/yandex/cloud/validation_pb.js';

type Rule = (v: unknown) => string | undefined;
type Check = (msg: Record<string, unknown>, prefix: string, out: FieldViolation[]) => void;
interface Specs { length: string; pattern: string; value: string; bytes?: string }

const REQUIRED = 'Field is required';
const UNIQUE = 'Elements must be unique';
const plans = new WeakMap<DescMessage, Check[]>();
const ALL_OPTIONS = [required, pattern, value, size, length, unique, map_key, bytes];

/** Every rule broken by `message` (and the messages inside it); empty when it is valid. */
export function validateMessage(schema: DescMessage, message: Message): FieldViolation[] {
  const out: FieldViolation[] = [];
  run(planFor(schema), message as unknown as Record<string, unknown>, '', out);
  return out;
}

/** Throws InvalidArgumentError listing every violation, if there is any. */
export function assertValid(schema: DescMessage, message: Message): void {
  const violations = validateMessage(schema, message);
  if (violations.length > 0) throw new InvalidArgumentError(violations);
}

function run(plan: Check[], msg: Record<string, unknown>, prefix: string, out: FieldViolation[]): void {
  for (const check of plan) check(msg, prefix, out);
}

function first(rules: Rule[], v: unknown): string | undefined {
  for (const rule of rules) {
    const problem = rule(v);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function planFor(desc: DescMessage): Check[] {
  let plan = plans.get(desc);
  if (plan) return plan;
  // Cached before its fields are compiled so that recursive message types terminate; nested
  // checks hold this same array, which is complete before any message is validated.
  plan = [];
  plans.set(desc, plan);
  try {
    for (const m of desc.members) {
      const checks = m.kind === 'oneof' ? [compileOneof(m), ...m.fields.map(compileField)] : [compileField(m)];
      for (const c of checks) if (c) plan.push(c);
    }
  } catch (e) {
    plans.delete(desc);
    throw e;
  }
  return plan;
}

/** Whether the message or any message reachable from it carries a validation option. */
function hasRules(desc: DescMessage, seen = new Set<DescMessage>()): boolean {
  if (seen.has(desc)) return false;
  seen.add(desc);
  return desc.oneofs.some((o) => getOption(o, exactly_one)) || desc.fields.some((f) =>
    ALL_OPTIONS.some((ext) => hasOption(f, ext)) || (f.message !== undefined && hasRules(f.message, seen)));
}

/**
 * Proto3 cannot tell an unset scalar from one set to its default, so a singular field at its
 * default ("", 0, false, enum 0, no message) is only checked by `required`. This is how an
 * optional field nobody set passes `pattern [a-z]...` or `value 4194304-...`; an empty string
 * that must match a pattern only matters on required fields, which fail `required` first.
 * List elements and map keys/values are always checked, "" included.
 */
function isUnset(v: unknown): boolean {
  return v === undefined || v === '' || v === 0 || v === 0n || v === false || (v instanceof Uint8Array && v.length === 0);
}

function compileOneof(o: DescOneof): Check | undefined {
  if (!getOption(o, exactly_one)) return undefined;
  const { name, localName } = o;
  const text = `Exactly one of ${o.fields.map((f) => f.name).join(', ')} must be set`;
  return (msg, prefix, out) => {
    // A member set to its default ("") names nothing, so it counts as not set (see isUnset).
    const sel = msg[localName] as { case?: string; value?: unknown };
    if (sel.case === undefined || isUnset(sel.value)) out.push({ field: prefix + name, description: text });
  };
}

function compileField(f: DescField): Check | undefined {
  const where = `${f.parent.typeName}.${f.name}`;
  const { name, localName } = f;
  const oneof = f.oneof?.localName;
  const get = (msg: Record<string, unknown>): unknown => {
    if (oneof === undefined) return msg[localName];
    const sel = msg[oneof] as { case?: string; value?: unknown };
    return sel.case === localName ? sel.value : undefined;
  };
  const isRequired = getOption(f, required);
  // (value) on a google.protobuf.Timestamp is a time range (IAM and Resource Manager protos).
  const timeRange = f.message?.typeName === 'google.protobuf.Timestamp' ? getOption(f, value) : '';
  const specs: Specs = {
    length: getOption(f, length), pattern: getOption(f, pattern), value: timeRange ? '' : getOption(f, value), bytes: getOption(f, bytes),
  };
  const sizeSpec = getOption(f, size);
  const isUnique = getOption(f, unique);
  const keySpecs = hasOption(f, map_key) ? getOption(f, map_key) : undefined;
  const fail = (what: string): never => { throw new Error(`${what} on ${where}`); };
  if (sizeSpec && f.fieldKind !== 'list' && f.fieldKind !== 'map') fail(`(size) needs a repeated or map field`);
  if (isUnique && (f.fieldKind !== 'list' || f.listKind === 'message' || f.scalar === ScalarType.BYTES)) {
    fail(`(unique) needs a repeated scalar or enum field`);
  }
  if (keySpecs && f.fieldKind !== 'map') fail(`(map_key) needs a map field`);
  const sub = f.message && hasRules(f.message) ? planFor(f.message) : undefined;

  if (f.fieldKind === 'scalar' || f.fieldKind === 'enum' || f.fieldKind === 'message') {
    const rules = scalarRules(specs, f.fieldKind === 'scalar' ? f.scalar : undefined, where, '');
    if (name === 'name' && f.scalar === ScalarType.STRING) rules.unshift(noControlCharacters);
    if (timeRange) rules.push(timestampRangeRule(timeRange, where));
    if (!isRequired && rules.length === 0 && !sub) return undefined;
    return (msg, prefix, out) => {
      const v = get(msg);
      if (isUnset(v)) {
        if (isRequired) out.push({ field: prefix + name, description: REQUIRED });
        return;
      }
      const problem = first(rules, v);
      if (problem !== undefined) out.push({ field: prefix + name, description: problem });
      else if (sub) run(sub, v as Record<string, unknown>, `${prefix}${name}.`, out);
    };
  }

  // Lists and maps: whole-field rules see the array of elements (or of map keys).
  const fieldRules: Rule[] = [];
  if (isRequired) fieldRules.push((v) => ((v as unknown[]).length === 0 ? REQUIRED : undefined));
  if (sizeSpec) fieldRules.push(rangeRule(sizeSpec, '(size)', 'Size', where, (v) => (v as unknown[]).length));
  if (isUnique) fieldRules.push((v) => (new Set(v as unknown[]).size < (v as unknown[]).length ? UNIQUE : undefined));
  const valueRules = scalarRules(specs, f.scalar, where, '');

  if (f.fieldKind === 'list') {
    if (fieldRules.length === 0 && valueRules.length === 0 && !sub) return undefined;
    return (msg, prefix, out) => {
      const list = msg[localName] as unknown[];
      const problem = first(fieldRules, list);
      if (problem !== undefined) {
        out.push({ field: prefix + name, description: problem });
        return;
      }
      if (valueRules.length === 0 && !sub) return;
      for (let i = 0; i < list.length; i++) {
        const bad = first(valueRules, list[i]);
        if (bad !== undefined) out.push({ field: `${prefix}${name}[${i}]`, description: bad });
        else if (sub) run(sub, list[i] as Record<string, unknown>, `${prefix}${name}[${i}].`, out);
      }
    };
  }

  const keyRules = keySpecs ? scalarRules(keySpecs, f.mapKey, where, '(map_key).') : [];
  if (fieldRules.length === 0 && keyRules.length === 0 && valueRules.length === 0 && !sub) return undefined;
  return (msg, prefix, out) => {
    const map = msg[localName] as Record<string, unknown>;
    const keys = Object.keys(map);
    const problem = first(fieldRules, keys);
    if (problem !== undefined) {
      out.push({ field: prefix + name, description: problem });
      return;
    }
    for (const key of keys) {
      const badKey = first(keyRules, key);
      const badValue = badKey === undefined ? first(valueRules, map[key]) : undefined;
      if (badKey !== undefined || badValue !== undefined) {
        const quoted = JSON.stringify(key);
        const text = badKey !== undefined ? `key ${quoted}: ${badKey}` : `value of key ${quoted}: ${badValue}`;
        out.push({ field: prefix + name, description: text });
      } else if (sub) run(sub, map[key] as Record<string, unknown>, `${prefix}${name}.${key}.`, out);
    }
  };
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Every string field called `name` (images, desktops, groups, service accounts, in any request)
 * refuses control characters, whatever its proto pattern says: many have no pattern, and a NUL
 * or an escape sequence in a name breaks logs, terminals and the CLI's tables (docs/security.md).
 */
function noControlCharacters(v: unknown): string | undefined {
  return typeof v === 'string' && CONTROL.test(v) ? 'Must not contain control characters (U+0000-U+001F, U+007F-U+009F)' : undefined;
}

/** Rules on one string or number: a singular field, a list element, a map key or map value. */
function scalarRules(s: Specs, type: ScalarType | undefined, where: string, opt: string): Rule[] {
  const rules: Rule[] = [];
  const need = (ok: boolean, name: string, what: string): void => {
    if (!ok) throw new Error(`(${opt}${name}) applies to ${what} values only, on ${where}`);
  };
  const isNumber = type !== undefined && type !== ScalarType.STRING && type !== ScalarType.BYTES && type !== ScalarType.BOOL;
  if (s.length) {
    need(type === ScalarType.STRING, 'length', 'string');
    rules.push(rangeRule(s.length, `(${opt}length)`, 'Length', where, (v) => codePoints(v as string)));
  }
  if (s.pattern) {
    need(type === ScalarType.STRING, 'pattern', 'string');
    rules.push(patternRule(s.pattern, `(${opt}pattern)`, where));
  }
  if (s.value) {
    need(isNumber, 'value', 'numeric');
    // int64 arrives as bigint, or string with jstype = JS_STRING and as a map key.
    const toNumber = (v: unknown): number | bigint => (typeof v === 'string' ? BigInt(v) : v as number | bigint);
    rules.push(rangeRule(s.value, `(${opt}value)`, 'Value', where, toNumber));
  }
  if (s.bytes) {
    need(type === ScalarType.STRING || type === ScalarType.BYTES, 'bytes', 'string or bytes');
    rules.push(rangeRule(s.bytes, `(${opt}bytes)`, 'Size in bytes', where,
      (v) => (typeof v === 'string' ? Buffer.byteLength(v) : (v as Uint8Array).length)));
  }
  return rules;
}

function patternRule(spec: string, opt: string, where: string): Rule {
  let re: RegExp;
  try {
    // Whole-value match. No `u` flag: the Compute label patterns contain `\@`, an identity
    // escape that unicode mode rejects.
    re = new RegExp(`^(?:${spec})$`);
  } catch (e) {
    throw new Error(`Invalid ${opt} option "${spec}" on ${where}: ${(e as Error).message}`);
  }
  const text = `Value must match the pattern ${spec}`;
  return (v) => (re.test(v as string) ? undefined : text);
}

/** `YYYYMMDDTHHMMSS.fffffffff-YYYYMMDDTHHMMSS.fffffffff` (inclusive, UTC) on a Timestamp field. */
function timestampRangeRule(spec: string, where: string): Rule {
  const point = String.raw`(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{9})`;
  const m = new RegExp(`^${point}-${point}$`).exec(spec);
  if (!m) throw new Error(`Invalid (value) option "${spec}" on ${where}`);
  const at = (g: string[]): bigint => {
    const [y, mo, d, h, mi, s, ns] = g.map(Number) as [number, number, number, number, number, number, number];
    return BigInt(Date.UTC(y, mo - 1, d, h, mi, s) / 1000) * 1_000_000_000n + BigInt(ns);
  };
  const lo = at(m.slice(1, 8));
  const hi = at(m.slice(8, 15));
  const text = `Value must be in range ${spec}`;
  return (v) => {
    const t = v as { seconds: bigint; nanos: number };
    const n = BigInt(t.seconds) * 1_000_000_000n + BigInt(t.nanos);
    return n >= lo && n <= hi ? undefined : text;
  };
}

const COMPARISONS: Record<string, [string, (n: number | bigint, b: bigint) => boolean]> = {
  '<=': ['less than or equal to', (n, b) => n <= b],
  '>=': ['greater than or equal to', (n, b) => n >= b],
  '<': ['less than', (n, b) => n < b],
  '>': ['greater than', (n, b) => n > b],
  '': ['equal to', (n, b) => n >= b && n <= b],
};

/** `<=N`, `>=N`, `<N`, `>N`, `N` or `A-B` (inclusive), as used by (length), (value), (size), (bytes). */
function rangeRule(spec: string, opt: string, subject: string, where: string,
  measure: (v: unknown) => number | bigint): Rule {
  const bound = /^(<=|>=|<|>)?(-?\d+)$/.exec(spec);
  const range = /^(-?\d+)-(-?\d+)$/.exec(spec);
  if (bound) {
    const [words, test] = COMPARISONS[bound[1] ?? ''];
    const b = BigInt(bound[2]);
    const text = `${subject} must be ${words} ${bound[2]}`;
    return (v) => (test(measure(v), b) ? undefined : text);
  }
  if (range && BigInt(range[1]) <= BigInt(range[2])) {
    const lo = BigInt(range[1]);
    const hi = BigInt(range[2]);
    const text = `${subject} must be in range ${spec}`;
    return (v) => {
      const n = measure(v);
      return n >= lo && n <= hi ? undefined : text;
    };
  }
  throw new Error(`Invalid ${opt} option "${spec}" on ${where}`);
}

const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

/** String length in Unicode code points (a surrogate pair counts once), as the API counts it. */
function codePoints(s: string): number {
  return s.length - (s.match(SURROGATE_PAIR)?.length ?? 0);
}
