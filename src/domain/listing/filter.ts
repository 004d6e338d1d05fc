/**
 * The List `filter` language (docs/decisions.md point 10, api-conventions §8.2): conditions joined by
 * AND, operators `=`, `!=`, `IN (…)`, `NOT IN (…)`, values quoted ("…" or '…' with \" \' \\
 * escapes) or bare `[A-Za-z0-9_.-]+`. Keywords are case-insensitive; a field may be written in
 * snake_case or camelCase and comes back in snake_case.
 *
 *   const conds = parseFilter(`name IN ("a", 'b') and name != old`, ['name']);
 *   // → [{ field: 'name', op: 'IN', values: ['a', 'b'] }, { field: 'name', op: '!=', values: ['old'] }]
 *   matchesFilter(conds, { name: 'a' }); // → true
 *
 * Any bad input throws InvalidArgumentError on `filter` with a 1-based character position.
 */
import { InvalidArgumentError } from '../errors.js';

export type FilterOp = '=' | '!=' | 'IN' | 'NOT IN';

export interface FilterCondition {
  field: string;
  op: FilterOp;
  values: string[];
}

const BLANK = new Set([' ', '\t', '\r', '\n']);
const BARE = /[A-Za-z0-9_.-]+/y;
const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN']);

export function parseFilter(text: string, fields: readonly string[]): FilterCondition[] {
  const spellings = new Map<string, string>();
  for (const f of fields) spellings.set(f, f).set(camelCase(f), f);
  let pos = 0;

  const fail = (description: string): never => {
    throw InvalidArgumentError.field('filter', description);
  };
  const skipBlanks = (): number => {
    const start = pos;
    while (pos < text.length && BLANK.has(text[pos]!)) pos++;
    return pos - start;
  };
  /** Reads a run of bare-value characters (also used for fields and keywords); '' if none. */
  const word = (): string => {
    BARE.lastIndex = pos;
    const m = BARE.exec(text);
    if (!m) return '';
    pos += m[0].length;
    return m[0];
  };
  const unexpected = (at: number, why: string): never => {
    if (at >= text.length) return fail(`unexpected end of filter: ${why}`);
    BARE.lastIndex = at;
    const token = BARE.exec(text)?.[0] ?? String.fromCodePoint(text.codePointAt(at)!);
    const shown = token.length > 30 ? `${token.slice(0, 30)}…` : token;
    return fail(`unexpected ${JSON.stringify(shown)} at position ${at + 1}: ${why}`);
  };

  const quoted = (): string => {
    const start = pos;
    const quote = text[pos++];
    let value = '';
    for (;;) {
      if (pos >= text.length) return fail(`unterminated string at position ${start + 1}`);
      const c = text[pos]!;
      if (c === quote) {
        pos++;
        return value;
      }
      if (c === '\\') {
        const next = text[pos + 1];
        if (next === undefined) return fail(`unterminated string at position ${start + 1}`);
        if (next !== '"' && next !== "'" && next !== '\\') {
          const shown = String.fromCodePoint(text.codePointAt(pos + 1)!);
          fail(`invalid escape "\\${shown}" at position ${pos + 1}: only \\", \\' and \\\\ are allowed`);
        }
        value += next;
        pos += 2;
      } else {
        value += c;
        pos++;
      }
    }
  };
  const value = (): string => {
    if (text[pos] === '"' || text[pos] === "'") return quoted();
    const start = pos;
    const bare = word();
    if (bare === '') return unexpected(start, 'expected a value');
    const next = text[pos];
    if (next !== undefined && !BLANK.has(next) && next !== ',' && next !== ')') {
      unexpected(pos, 'unquoted values may only contain letters, digits, "_", "." and "-"; quote the value');
    }
    return bare;
  };
  const single = (op: string): string[] => {
    skipBlanks();
    if (text[pos] === '(') unexpected(pos, `${op} takes one value; use IN or NOT IN for a list`);
    return [value()];
  };
  const list = (op: string): string[] => {
    skipBlanks();
    if (text[pos] !== '(') unexpected(pos, `expected "(" after ${op}`);
    const open = pos++;
    skipBlanks();
    if (text[pos] === ')') fail(`empty value list at position ${open + 1}`);
    const values = [value()];
    for (;;) {
      skipBlanks();
      if (text[pos] === ')') {
        pos++;
        return values;
      }
      if (pos >= text.length) fail(`unclosed "(" at position ${open + 1}`);
      if (text[pos] !== ',') unexpected(pos, 'expected "," or ")"');
      pos++;
      skipBlanks();
      values.push(value());
    }
  };
  const condition = (): FilterCondition => {
    const at = pos;
    const name = word();
    const field = spellings.get(name);
    if (field === undefined) {
      if (name === '' || KEYWORDS.has(name.toUpperCase())) return unexpected(at, 'expected a field name');
      const allowed = fields.length ? `only ${listing(fields)} can be filtered` : 'no field can be filtered';
      return fail(`unknown field ${JSON.stringify(name)}; ${allowed}`);
    }
    skipBlanks();
    if (text.startsWith('!=', pos)) {
      pos += 2;
      return { field, op: '!=', values: single('!=') };
    }
    if (text[pos] === '=') {
      pos++;
      return { field, op: '=', values: single('=') };
    }
    const opAt = pos;
    const keyword = word().toUpperCase();
    if (keyword === 'IN') return { field, op: 'IN', values: list('IN') };
    if (keyword === 'NOT') {
      skipBlanks(); // at least one blank: "NOTIN" would have been read as one word
      const inAt = pos;
      if (word().toUpperCase() !== 'IN') return unexpected(inAt, 'expected IN after NOT');
      return { field, op: 'NOT IN', values: list('NOT IN') };
    }
    return unexpected(opAt, 'expected an operator: =, !=, IN or NOT IN');
  };

  skipBlanks();
  if (pos >= text.length) return [];
  const conditions: FilterCondition[] = [];
  for (;;) {
    conditions.push(condition());
    const before = skipBlanks();
    if (pos >= text.length) return conditions;
    const at = pos;
    const joiner = word();
    const upper = joiner.toUpperCase();
    if (upper === 'OR') fail(`unexpected ${JSON.stringify(joiner)} at position ${at + 1}: only AND joins conditions`);
    if (upper !== 'AND') unexpected(at, 'expected AND or the end of the filter');
    if (before === 0) fail(`expected a blank before ${joiner} at position ${at + 1}`);
    if (skipBlanks() === 0 && pos < text.length) fail(`expected a blank after ${joiner} at position ${pos + 1}`);
  }
}

/** In-memory evaluation with the same meaning as the SQL: an absent field counts as ''. */
export function matchesFilter(conds: FilterCondition[], record: Record<string, string>): boolean {
  return conds.every((c) => {
    const v = Object.hasOwn(record, c.field) ? record[c.field]! : '';
    switch (c.op) {
      case '=':
      case 'IN':
        return c.values.includes(v);
      case '!=':
      case 'NOT IN':
        return !c.values.includes(v);
    }
  });
}

function camelCase(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function listing(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
