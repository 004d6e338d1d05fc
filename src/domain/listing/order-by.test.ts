import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgumentError } from '../errors.js';
import { DEFAULT_ORDER, parseOrderBy, type OrderKey } from './order-by.js';

const FIELDS = { name: 'name', created_at: 'created_at', createdAt: 'created_at', status: 'status' };

function rejects(text: string, description: string): void {
  assert.throws(
    () => parseOrderBy(text, FIELDS),
    (e: unknown) => {
      assert.ok(e instanceof InvalidArgumentError, `expected InvalidArgumentError, got ${String(e)}`);
      assert.deepEqual(e.violations, [{ field: 'order_by', description }]);
      return true;
    },
  );
}

const asc = (field: string): OrderKey => ({ field, desc: false });
const desc = (field: string): OrderKey => ({ field, desc: true });

describe('parseOrderBy accepts', () => {
  const cases: Array<[string, OrderKey[]]> = [
    ['', [asc('created_at'), asc('id')]],
    ['   ', [asc('created_at'), asc('id')]],
    ['name', [asc('name'), asc('id')]],
    ['name desc', [desc('name'), desc('id')]],
    ['createdAt DESC', [desc('created_at'), desc('id')]],
    ['created_at Asc', [asc('created_at'), asc('id')]],
    ['status desc, name', [desc('status'), asc('name'), asc('id')]],
    ['name asc,createdAt desc', [asc('name'), desc('created_at'), desc('id')]],
    ['  status \t desc ,  name   asc  ', [desc('status'), asc('name'), asc('id')]],
  ];
  for (const [text, expected] of cases) {
    it(JSON.stringify(text), () => assert.deepEqual(parseOrderBy(text, FIELDS), expected));
  }

  it('takes the default order as a parameter, and adds the tiebreaker to it', () => {
    assert.deepEqual(parseOrderBy('', FIELDS, [desc('status')]), [desc('status'), desc('id')]);
    assert.deepEqual(parseOrderBy('', FIELDS, []), [asc('id')]);
    assert.deepEqual(parseOrderBy('name', FIELDS, [desc('status')]), [asc('name'), asc('id')]);
  });

  it('does not hand out the default order objects', () => {
    const keys = parseOrderBy('', FIELDS);
    keys[0]!.desc = true;
    assert.deepEqual(DEFAULT_ORDER, [asc('created_at')]);
    assert.deepEqual(parseOrderBy('', FIELDS), [asc('created_at'), asc('id')]);
  });

  it('does not add id twice when it is already a key', () => {
    const fields = { ...FIELDS, id: 'id' };
    assert.deepEqual(parseOrderBy('id desc', fields), [desc('id')]);
    assert.deepEqual(parseOrderBy('id, name desc', fields), [asc('id'), desc('name')]);
  });
});

describe('parseOrderBy rejects', () => {
  const cases: Array<[string, string]> = [
    ['size', 'unknown field "size"; sortable fields are name, created_at, status'],
    ['Name', 'unknown field "Name"; sortable fields are name, created_at, status'],
    ['id', 'unknown field "id"; sortable fields are name, created_at, status'],
    ['constructor', 'unknown field "constructor"; sortable fields are name, created_at, status'],
    ['__proto__ desc', 'unknown field "__proto__"; sortable fields are name, created_at, status'],
    ['name, name desc', 'field name is given more than once'],
    ['created_at, createdAt desc', 'field created_at is given more than once'],
    ['name down', 'invalid direction "down" for name; use asc or desc'],
    ['createdAt -1', 'invalid direction "-1" for created_at; use asc or desc'],
    ['name desc status', 'unexpected "status" after name desc; separate keys with ","'],
    ['name,', 'key 2 is empty'],
    [',name', 'key 1 is empty'],
    ['name,,status', 'key 2 is empty'],
    ['name desc;status', 'invalid direction "desc;status" for name; use asc or desc'],
    ['-name', 'unknown field "-name"; sortable fields are name, created_at, status'],
  ];
  for (const [text, description] of cases) {
    it(JSON.stringify(text), () => rejects(text, description));
  }
});
