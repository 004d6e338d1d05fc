/**
 * `google.api.http` path templates, compiled once and matched per request.
 *
 *   const t = compileTemplate('/operations/{operation_id}:cancel');
 *   t.match(splitPath('/operations/e3v123:cancel'))  // → { operation_id: 'e3v123' }
 *   t.match(splitPath('/operations/e3v123'))         // → undefined (no :cancel verb)
 *
 * Grammar (google/api/http.proto): Template = "/" Segments [":" Verb]; a Segment is a literal,
 * `*` (one segment), `**` (the rest, last only) or `{field.path[=Segments]}`. The custom verb is
 * split off the last path segment at its last unescaped `:` before matching, so
 * `images:copy` is never taken for an image id, and an id can only contain `:` as `%3A`.
 * Literals compare raw; variables capture percent-decoded segments joined by `/`.
 */

type Seg = { kind: 'literal'; value: string } | { kind: 'one' } | { kind: 'rest' };

interface Variable {
  /** Proto field names from the request message down, e.g. `['image_id']`. */
  readonly fieldPath: string[];
  /** The same, dotted: the key of the captured value. */
  readonly key: string;
  readonly from: number;
  readonly to: number;
}

export interface SplitPath {
  readonly segments: string[];
  readonly verb: string | undefined;
}

export interface PathTemplate {
  readonly source: string;
  readonly verb: string | undefined;
  readonly variables: readonly Variable[];
  /** Orders overlapping templates: more literal segments first. */
  readonly specificity: number;
  /** The first segment when it is a literal: no path with another first segment matches. */
  readonly firstLiteral: string | undefined;
  /** The captured variables by dotted field path, or undefined when the path does not match. */
  match(path: SplitPath): Map<string, string> | undefined;
}

export class MalformedPathError extends Error {
  override readonly name = 'MalformedPathError';
}

/** Splits a raw request path (no query) into raw segments and its custom verb. */
export function splitPath(rawPath: string): SplitPath {
  const segments = rawPath.split('/').slice(1);
  const last = segments.length - 1;
  const colon = segments[last]!.lastIndexOf(':');
  if (colon < 0) return { segments, verb: undefined };
  const verb = segments[last]!.slice(colon + 1);
  segments[last] = segments[last]!.slice(0, colon);
  return { segments, verb };
}

export function compileTemplate(source: string): PathTemplate {
  if (!source.startsWith('/')) throw new Error(`path template ${source}: must start with /`);
  const closing = source.lastIndexOf('}');
  const colon = source.lastIndexOf(':');
  const hasVerb = colon > closing && colon > source.lastIndexOf('/');
  const verb = hasVerb ? source.slice(colon + 1) : undefined;
  const body = hasVerb ? source.slice(1, colon) : source.slice(1);
  const segs: Seg[] = [];
  const variables: Variable[] = [];
  for (const token of tokenize(body, source)) {
    if (!token.startsWith('{')) {
      segs.push(segOf(token, source));
      continue;
    }
    const inner = token.slice(1, -1);
    const eq = inner.indexOf('=');
    const fieldPath = (eq < 0 ? inner : inner.slice(0, eq)).split('.');
    if (fieldPath.some((p) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) throw new Error(`path template ${source}: bad variable ${token}`);
    const from = segs.length;
    for (const s of eq < 0 ? ['*'] : inner.slice(eq + 1).split('/')) segs.push(segOf(s, source));
    variables.push({ fieldPath, key: fieldPath.join('.'), from, to: segs.length });
  }
  const restAt = segs.findIndex((s) => s.kind === 'rest');
  if (restAt >= 0 && restAt !== segs.length - 1) throw new Error(`path template ${source}: ** must be last`);
  const literals = segs.filter((s) => s.kind === 'literal').length;
  return {
    source,
    verb,
    variables,
    specificity: literals * 2 - (restAt >= 0 ? 1 : 0),
    firstLiteral: segs[0]?.kind === 'literal' ? segs[0].value : undefined,
    match: (path) => match(segs, variables, verb, path),
  };
}

function tokenize(body: string, source: string): string[] {
  const tokens: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of body) {
    if (ch === '{') depth++;
    if (ch === '}') depth--;
    if (depth < 0 || depth > 1) throw new Error(`path template ${source}: unbalanced braces`);
    if (ch === '/' && depth === 0) {
      tokens.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (depth !== 0) throw new Error(`path template ${source}: unbalanced braces`);
  tokens.push(cur);
  return tokens;
}

function segOf(token: string, source: string): Seg {
  if (token === '*') return { kind: 'one' };
  if (token === '**') return { kind: 'rest' };
  if (token === '' || /[{}:*]/.test(token)) throw new Error(`path template ${source}: bad segment "${token}"`);
  return { kind: 'literal', value: token };
}

function match(segs: Seg[], variables: Variable[], verb: string | undefined, path: SplitPath): Map<string, string> | undefined {
  if (path.verb !== verb) return undefined;
  const rest = segs.at(-1)?.kind === 'rest';
  const n = path.segments.length;
  if (rest ? n < segs.length - 1 : n !== segs.length) return undefined;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    if (seg.kind === 'rest') break;
    const raw = path.segments[i]!;
    if (seg.kind === 'literal' ? raw !== seg.value : raw === '') return undefined;
  }
  const values = new Map<string, string>();
  for (const v of variables) {
    const end = segs[v.to - 1]?.kind === 'rest' ? n : v.to;
    values.set(v.key, end === v.from + 1 ? decode(path.segments[v.from]!) : path.segments.slice(v.from, end).map(decode).join('/'));
  }
  return values;
}

function decode(segment: string): string {
  if (!segment.includes('%')) return segment; // the usual id: nothing to decode
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new MalformedPathError(`Malformed percent-encoding in path segment "${segment}"`);
  }
}
