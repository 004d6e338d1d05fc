/** memoWire: one wire message per frozen row, none kept for rows that may change. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { memoWire } from './wire.js';

describe('memoWire', () => {
  const made: string[] = [];
  const toWire = memoWire((row: { id: string; labels: Record<string, string> }) => {
    made.push(row.id);
    return { id: row.id, labels: { ...row.labels }, nested: { at: { seconds: 1n } } };
  });

  it('maps a frozen row once and hands out the same frozen message', () => {
    const row = Object.freeze({ id: 'a', labels: Object.freeze({ k: 'v' }) });
    const first = toWire(row);
    assert.equal(toWire(row), first);
    assert.deepEqual(made, ['a']);
    assert.ok(Object.isFrozen(first) && Object.isFrozen(first.labels) && Object.isFrozen(first.nested.at));
    assert.throws(() => {
      (first as { id: string }).id = 'changed';
    }, TypeError);
  });

  it('maps a row that is not frozen every time, into a message the caller may change', () => {
    made.length = 0;
    const row = { id: 'b', labels: {} };
    const one = toWire(row);
    row.id = 'b2';
    assert.equal(toWire(row).id, 'b2');
    assert.deepEqual(made, ['b', 'b2']);
    assert.ok(!Object.isFrozen(one));
  });
});
