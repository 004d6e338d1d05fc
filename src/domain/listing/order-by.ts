/**
 * The List `order_by` parameter (docs/decisions.md point 10, api-conventions §8.3): comma-separated
 * keys, each a field optionally followed by `asc` or `desc` (case-insensitive). Empty text means
 * `defaultOrder`. The result always ends with `id` in the direction of the last key, so that
 * every row has a distinct sort key and keyset paging never skips or repeats a row.
 *
 *   const fields = { name: 'name', created_at: 'created_at', createdAt: 'created_at', status: 'status' };
 *   parseOrderBy('createdAt DESC, name', fields);
 *   // → [{ field: 'created_at', desc: true }, { field: 'name', desc: false }, { field: 'id', desc: false }]
 *   parseOrderBy('', fields);
 *   // → [{ field: 'created_at', desc: false }, { field: 'id', desc: false }]
 */
import { InvalidArgumentError } from '../errors.js';

export interface OrderKey {
  field: string;
  desc: boolean;
}

export const DEFAULT_ORDER: readonly OrderKey[] = Object.freeze([Object.freeze({ field: 'created_at', desc: false })]);

/** The tiebreaker every order ends with; ids are unique, so the full key is unique. */
export const TIEBREAK_FIELD = 'id';

const BLANKS = /[ \t\r\n]+/;

export function parseOrderBy(
  text: string,
  fields: Record<string, string>,
  defaultOrder: readonly OrderKey[] = DEFAULT_ORDER,
): OrderKey[] {
  const fail = (description: string): never => {
    throw InvalidArgumentError.field('order_by', description);
  };
  const keys: OrderKey[] = [];
  if (text.trim() === '') {
    keys.push(...defaultOrder.map((k) => ({ field: k.field, desc: k.desc })));
  } else {
    const seen = new Set<string>();
    text.split(',').forEach((part, index) => {
      const words = part.split(BLANKS).filter((w) => w !== '');
      if (words.length === 0) fail(`key ${index + 1} is empty`);
      const [name, direction, extra] = words as [string, string | undefined, string | undefined];
      if (!Object.hasOwn(fields, name)) fail(`unknown field ${JSON.stringify(shorten(name))}; ${sortable(fields)}`);
      const field = fields[name]!;
      if (seen.has(field)) fail(`field ${field} is given more than once`);
      seen.add(field);
      let desc = false;
      if (direction !== undefined) {
        const d = direction.toLowerCase();
        if (d !== 'asc' && d !== 'desc') fail(`invalid direction ${JSON.stringify(shorten(direction))} for ${field}; use asc or desc`);
        desc = d === 'desc';
      }
      if (extra !== undefined) fail(`unexpected ${JSON.stringify(shorten(extra))} after ${name} ${direction}; separate keys with ","`);
      keys.push({ field, desc });
    });
  }
  if (keys.length > 0 && !keys.some((k) => k.field === TIEBREAK_FIELD)) {
    keys.push({ field: TIEBREAK_FIELD, desc: keys[keys.length - 1]!.desc });
  } else if (keys.length === 0) {
    keys.push({ field: TIEBREAK_FIELD, desc: false });
  }
  return keys;
}

function sortable(fields: Record<string, string>): string {
  const canonical = [...new Set(Object.values(fields))];
  if (canonical.length === 0) return 'no field can be sorted on';
  return `sortable fields are ${canonical.join(', ')}`;
}

function shorten(word: string): string {
  return word.length > 30 ? `${word.slice(0, 30)}…` : word;
}
