/**
 * Binding a page token to its request, and the keyset comparison behind paging.
 *
 * A token carries the scope of the request that produced it; a later request with another scope
 * is refused (docs/decisions.md point 9). The scope hashes the parsed, canonical request, so spelling
 * does not matter: `name='a'`, `NAME = "a"`... all parse to the same conditions.
 *
 *   const scope = pageScope({ folderId, filter: parseFilter(req.filter, ['name']), order });
 *   // token = { scope, last: [row.created_at, row.id] }; later: token.scope === scope, else INVALID_ARGUMENT
 *   rows.filter((r) => keysetAfter(order, token.last, [r.created_at, r.id]));
 *
 * keysetAfter is the in-memory twin of the SQL `WHERE (k1, k2, …) > (?, ?, …)` with per-key
 * directions; values compare as SQLite does: NULL < numbers < text < blobs, text in BINARY
 * collation (UTF-8 bytes, i.e. code point order).
 */
import { hash } from 'node:crypto';
import type { FilterCondition } from './filter.js';
import type { OrderKey } from './order-by.js';
import { Recent } from '../recent.js';

export interface ScopeParts {
  folderId: string;
  filter: FilterCondition[];
  order: OrderKey[];
  /** Anything else the listing depends on (e.g. the caller's view of system images). */
  extra?: string;
}

export function pageScope(parts: ScopeParts): string {
  return hashedScope(canonicalScope(parts));
}

/** The scope of a canonical text (canonicalScope): what a page token carries. */
export function hashedScope(canonical: string): string {
  return recent.get(canonical) ?? recent.keep(canonical, hash('sha256', canonical, 'hex').slice(0, 16));
}

/**
 * The scope as text, before hashing: two requests with the same text list the same rows in the
 * same order, however their filter and order were spelt.
 */
export function canonicalScope(parts: ScopeParts): string {
  return JSON.stringify([
    'scope/v1',
    parts.folderId,
    canonicalFilter(parts.filter),
    parts.order.map((k) => [k.field, k.desc]),
    parts.extra ?? '',
  ]);
}

/** The scopes of the last requests, oldest first: a List repeated by a poller hashes nothing. */
const recent = new Recent<string, string>(1024);

/**
 * AND is commutative and lists are sets, so conditions and list values are sorted and deduped;
 * a one-value list is the same as `=` / `!=`.
 */
function canonicalFilter(conds: FilterCondition[]): string[] {
  const forms = conds.map((c) => {
    const values = [...new Set(c.values)].sort(compareText);
    let op: string = c.op;
    if (values.length === 1 && op === 'IN') op = '=';
    if (values.length === 1 && op === 'NOT IN') op = '!=';
    return JSON.stringify([c.field, op, values]);
  });
  return [...new Set(forms)].sort(compareText);
}

/** True when `row` comes strictly after `last` under `order` (values listed in key order). */
export function keysetAfter(order: OrderKey[], last: unknown[], row: unknown[]): boolean {
  if (last.length !== order.length || row.length !== order.length) {
    throw new RangeError(`keysetAfter: expected ${order.length} values, got ${last.length} and ${row.length}`);
  }
  for (let i = 0; i < order.length; i++) {
    const c = compareValues(row[i], last[i]);
    if (c !== 0) return order[i]!.desc ? c < 0 : c > 0;
  }
  return false;
}

/** Orders two column values the way SQLite does; returns <0, 0 or >0. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return 0;
    case 1: {
      const x = numeric(a);
      const y = numeric(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 2:
      return compareText(a as string, b as string);
    default:
      return Buffer.compare(a as Uint8Array, b as Uint8Array);
  }
}

/** Code point order, which is the byte order of UTF-8 and so SQLite's BINARY collation. */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++; // both sides hold the same surrogate pair
  }
  return a.length - b.length;
}

function rank(v: unknown): number {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return 0;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v instanceof Date) return 1;
  if (typeof v === 'string') return 2;
  if (v instanceof Uint8Array) return 3;
  throw new TypeError(`compareValues: unsupported value of type ${typeof v}`);
}

function numeric(v: unknown): number | bigint {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.getTime();
  return v as number | bigint;
}
