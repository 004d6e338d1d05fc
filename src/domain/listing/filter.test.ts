import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgumentError } from '../errors.js';
import { matchesFilter, parseFilter, type FilterCondition } from './filter.js';

const NAME = ['name'] as const;

function rejects(text: string, description: string, fields: readonly string[] = NAME): void {
  assert.throws(
    () => parseFilter(text, fields),
    (e: unknown) => {
      assert.ok(e instanceof InvalidArgumentError, `expected InvalidArgumentError, got ${String(e)}`);
      assert.deepEqual(e.violations, [{ field: 'filter', description }]);
      return true;
    },
  );
}

describe('parseFilter accepts', () => {
  const cases: Array<[string, FilterCondition[]]> = [
    ['', []],
    ['  \t\n ', []],
    ['name="win-base"', [{ field: 'name', op: '=', values: ['win-base'] }]],
    ["name!='old'", [{ field: 'name', op: '!=', values: ['old'] }]],
    ['name = my-image.v1_2', [{ field: 'name', op: '=', values: ['my-image.v1_2'] }]],
    ['name IN ("a-image","b-image")', [{ field: 'name', op: 'IN', values: ['a-image', 'b-image'] }]],
    ["name NOT IN ('x1','x2')", [{ field: 'name', op: 'NOT IN', values: ['x1', 'x2'] }]],
    ['name in(a , "b" ,c)', [{ field: 'name', op: 'IN', values: ['a', 'b', 'c'] }]],
    ['name not \t in ( a )', [{ field: 'name', op: 'NOT IN', values: ['a'] }]],
    ['name=""', [{ field: 'name', op: '=', values: [''] }]],
    ['name = "a" AND name != "b"', [
      { field: 'name', op: '=', values: ['a'] },
      { field: 'name', op: '!=', values: ['b'] },
    ]],
    ['name=a and name=b aNd name=c', [
      { field: 'name', op: '=', values: ['a'] },
      { field: 'name', op: '=', values: ['b'] },
      { field: 'name', op: '=', values: ['c'] },
    ]],
    // Keywords are only keywords in their place: as values they are plain words.
    ['name = AND', [{ field: 'name', op: '=', values: ['AND'] }]],
    ['name IN (or, not)', [{ field: 'name', op: 'IN', values: ['or', 'not'] }]],
    // Escapes, and the other quote needs none.
    [String.raw`name = "say \"hi\" \\ \'x\'"`, [{ field: 'name', op: '=', values: [`say "hi" \\ 'x'`] }]],
    [String.raw`name = 'it\'s "ok"'`, [{ field: 'name', op: '=', values: [`it's "ok"`] }]],
    ['name = "пример 🙂 a,b (c) AND d"', [{ field: 'name', op: '=', values: ['пример 🙂 a,b (c) AND d'] }]],
  ];
  for (const [text, expected] of cases) {
    it(JSON.stringify(text), () => assert.deepEqual(parseFilter(text, NAME), expected));
  }

  it('camelCase spelling of a snake_case field, returned in snake_case', () => {
    const fields = ['name', 'created_at', 'source_image_id'];
    assert.deepEqual(parseFilter('createdAt = x AND sourceImageId IN (a) AND created_at != y', fields), [
      { field: 'created_at', op: '=', values: ['x'] },
      { field: 'source_image_id', op: 'IN', values: ['a'] },
      { field: 'created_at', op: '!=', values: ['y'] },
    ]);
  });
});

describe('parseFilter rejects', () => {
  const cases: Array<[string, string]> = [
    ['status = "READY"', 'unknown field "status"; only name can be filtered'],
    ['Name = a', 'unknown field "Name"; only name can be filtered'],
    ['constructor = a', 'unknown field "constructor"; only name can be filtered'],
    ['name = "a" OR name = "b"', 'unexpected "OR" at position 12: only AND joins conditions'],
    ['name=a or name=b', 'unexpected "or" at position 8: only AND joins conditions'],
    ['name = "abc', 'unterminated string at position 8'],
    ["name IN ('a', 'b)", 'unterminated string at position 15'],
    ['name = "abc\\', 'unterminated string at position 8'],
    ['name = "a\\nb"', 'invalid escape "\\n" at position 10: only \\", \\\' and \\\\ are allowed'],
    ['name IN ()', 'empty value list at position 9'],
    ['name NOT IN (  )', 'empty value list at position 13'],
    ['name IN ("a",)', 'unexpected ")" at position 14: expected a value'],
    ['name IN ("a" "b")', 'unexpected "\\"" at position 14: expected "," or ")"'],
    ['name IN ("a", "b"', 'unclosed "(" at position 9'],
    ['name IN "a"', 'unexpected "\\"" at position 9: expected "(" after IN'],
    ['name = ("a")', 'unexpected "(" at position 8: = takes one value; use IN or NOT IN for a list'],
    ['name != (a, b)', 'unexpected "(" at position 9: != takes one value; use IN or NOT IN for a list'],
    ['name ==a', 'unexpected "=" at position 7: expected a value'],
    ['name <> a', 'unexpected "<" at position 6: expected an operator: =, !=, IN or NOT IN'],
    ['name LIKE a', 'unexpected "LIKE" at position 6: expected an operator: =, !=, IN or NOT IN'],
    ['name NOT (a)', 'unexpected "(" at position 10: expected IN after NOT'],
    ['name NOT = a', 'unexpected "=" at position 10: expected IN after NOT'],
    ['name NOTIN (a)', 'unexpected "NOTIN" at position 6: expected an operator: =, !=, IN or NOT IN'],
    ['name', 'unexpected end of filter: expected an operator: =, !=, IN or NOT IN'],
    ['name =', 'unexpected end of filter: expected a value'],
    ['name = a+b', 'unexpected "+" at position 9: unquoted values may only contain letters, digits, "_", "." and "-"; quote the value'],
    ['name = a"b"', 'unexpected "\\"" at position 9: unquoted values may only contain letters, digits, "_", "." and "-"; quote the value'],
    ['name = "a"b', 'unexpected "b" at position 11: expected AND or the end of the filter'],
    ['name = a name = b', 'unexpected "name" at position 10: expected AND or the end of the filter'],
    ['name = a && name = b', 'unexpected "&" at position 10: expected AND or the end of the filter'],
    ['name="a"AND name="b"', 'expected a blank before AND at position 9'],
    ['name=a AND(name=b)', 'expected a blank after AND at position 11'],
    ['name = a AND', 'unexpected end of filter: expected a field name'],
    ['name = a AND  ', 'unexpected end of filter: expected a field name'],
    ['AND name = a', 'unexpected "AND" at position 1: expected a field name'],
    ['= a', 'unexpected "=" at position 1: expected a field name'],
    ['name = a AND AND name = b', 'unexpected "AND" at position 14: expected a field name'],
    ['(name = a)', 'unexpected "(" at position 1: expected a field name'],
    ['🙂 = a', 'unexpected "🙂" at position 1: expected a field name'],
  ];
  for (const [text, description] of cases) {
    it(JSON.stringify(text), () => rejects(text, description));
  }

  it('lists every allowed field when several can be filtered', () => {
    rejects('size = 1', 'unknown field "size"; only name, created_at and status can be filtered', ['name', 'created_at', 'status']);
    rejects('name = 1', 'unknown field "name"; no field can be filtered', []);
  });

  it('shortens a very long token in the message', () => {
    rejects(`name ${'x'.repeat(500)} a`, `unexpected "${'x'.repeat(30)}…" at position 6: expected an operator: =, !=, IN or NOT IN`);
  });
});

describe('parseFilter under fuzzing', () => {
  // A small seeded generator keeps failures reproducible.
  let seed = 0x2545f491;
  const random = (n: number): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const pieces = ['name', 'nAmE', 'createdAt', 'AND', 'and', 'OR', 'NOT', 'IN', 'not in', '=', '!=', '!', '(', ')', ',',
    '"', "'", '\\', '\\"', "\\'", '\\\\', ' ', '  ', '\t', '\n', 'a', 'x-1.2_3', '🙂', '\ud800', '\u0000', 'constructor', '__proto__'];

  function check(text: string): void {
    let result: unknown;
    try {
      result = parseFilter(text, ['name', 'created_at']);
    } catch (e) {
      assert.ok(e instanceof InvalidArgumentError, `${JSON.stringify(text)} threw ${String(e)}`);
      assert.equal(e.violations[0]?.field, 'filter');
      return;
    }
    assert.ok(Array.isArray(result), `${JSON.stringify(text)} gave ${String(result)}`);
  }

  it('random sequences of grammar pieces give conditions or InvalidArgumentError', () => {
    for (let n = 0; n < 5000; n++) {
      const parts: string[] = [];
      const length = random(14);
      for (let i = 0; i < length; i++) parts.push(pieces[random(pieces.length)]!);
      check(parts.join(random(2) ? ' ' : ''));
    }
  });

  it('random characters give conditions or InvalidArgumentError', () => {
    for (let n = 0; n < 5000; n++) {
      let text = '';
      const length = random(40);
      for (let i = 0; i < length; i++) text += String.fromCharCode(random(2) ? 32 + random(95) : random(0x10000));
      check(text);
    }
  });

  it('every prefix of valid filters is handled', () => {
    const valid = `name IN ("a\\"b", 'c\\'d', e) AND createdAt NOT IN (x) and name != "z"`;
    assert.equal(parseFilter(valid, ['name', 'created_at']).length, 3);
    for (let i = 0; i <= valid.length; i++) check(valid.slice(0, i));
  });

  it('a long filter parses in linear time', () => {
    const text = Array.from({ length: 2000 }, (_, i) => `name != "n${i}"`).join(' AND ');
    const started = performance.now();
    assert.equal(parseFilter(text, NAME).length, 2000);
    assert.ok(performance.now() - started < 1000);
  });
});

describe('matchesFilter', () => {
  const conds = parseFilter('name IN (a, b, c) AND name != b AND name NOT IN (c)', NAME);
  it('holds when every condition holds', () => {
    assert.equal(matchesFilter(conds, { name: 'a' }), true);
    assert.equal(matchesFilter(conds, { name: 'b' }), false);
    assert.equal(matchesFilter(conds, { name: 'c' }), false);
    assert.equal(matchesFilter(conds, { name: 'd' }), false);
  });
  it('no conditions match everything', () => assert.equal(matchesFilter([], { name: 'x' }), true));
  it('an absent field counts as the empty string', () => {
    assert.equal(matchesFilter(parseFilter('name = ""', NAME), {}), true);
    assert.equal(matchesFilter(parseFilter('name != ""', NAME), {}), false);
    assert.equal(matchesFilter(parseFilter('name != x', NAME), { constructor: 'x' }), true);
  });
  it('compares exactly: case and blanks matter', () => {
    assert.equal(matchesFilter(parseFilter('name = Win', NAME), { name: 'win' }), false);
    assert.equal(matchesFilter(parseFilter('name = "a "', NAME), { name: 'a' }), false);
  });
});
