import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ID_PATTERN, newId } from './ids.js';

describe('newId', () => {
  it('gives the prefix and 17 characters of [a-z0-9], never the same id twice', () => {
    const ids = new Set<string>();
    // More ids than one refill of the random pool serves.
    for (let i = 0; i < 5000; i++) {
      const id = newId('e3v');
      assert.match(id, ID_PATTERN);
      assert.ok(id.startsWith('e3v'));
      ids.add(id);
    }
    assert.equal(ids.size, 5000);
  });

  it('uses every character of the alphabet about equally (no modulo bias)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) for (const c of newId('').slice(3)) counts.set(c, (counts.get(c) ?? 0) + 1);
    assert.equal(counts.size, 36);
    const mean = (4000 * 17) / 36;
    for (const [c, n] of counts) assert.ok(Math.abs(n - mean) < mean * 0.15, `${c}: ${n} against a mean of ${mean.toFixed(0)}`);
  });
});
