/**
 * Fuzzing of what a List request carries as text: filter, order_by and page_token. Whatever
 * the text, the answer is a result or INVALID_ARGUMENT naming that field; nothing else escapes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InvalidArgumentError } from '../errors.js';
import { parseFilter } from './filter.js';
import { parseOrderBy } from './order-by.js';
import { Pager } from './pager.js';
import { openTempStore, type TempStore } from '../../storage/sqlite/temp-store.js';
import { FUZZ_SEED, fuzzParams } from '../../fuzz-params.js';

const FIELDS = ['name', 'status', 'created_at'];

function outcome(field: string, f: () => unknown): void {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof InvalidArgumentError, `threw ${String(e)}`);
    assert.equal(e.violations[0]?.field, field);
    assert.ok(e.violations[0]!.description.length > 0);
  }
}

/** Text built from the language's own pieces, so that the parser gets deep, plus noise. */
const filterText = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc.array(fc.constantFrom('name', 'createdAt', 'status', 'x', '=', '!=', 'IN', 'NOT', 'AND', 'OR', '(', ')', ',', '"a"', "'b'", '"', '\\', ' ', '"\\u0000"', '1'), { maxLength: 25 })
    .map((parts) => parts.join(' ')),
);

let temp: TempStore;
before(async () => {
  temp = await openTempStore('fuzz-pager-');
});
after(async () => {
  await temp.cleanup();
});

describe(`fuzz: listing text (seed ${FUZZ_SEED})`, () => {
  it('filter: a list of conditions or INVALID_ARGUMENT on filter', () => {
    fc.assert(fc.property(filterText, (text) => outcome('filter', () => parseFilter(text, FIELDS))), fuzzParams(3000));
  });

  it('order_by: keys or INVALID_ARGUMENT on order_by', () => {
    const text = fc.oneof(fc.string({ maxLength: 80 }), fc.array(fc.constantFrom('name', 'createdAt', 'created_at', 'asc', 'desc', ',', ' ', 'x'), { maxLength: 10 }).map((p) => p.join(' ')));
    fc.assert(fc.property(text, (t) => outcome('order_by', () => parseOrderBy(t, { name: 'name', createdAt: 'created_at', created_at: 'created_at' }))), fuzzParams(3000));
  });

  it('page_token: a position only for a token this pager issued for this scope, else INVALID_ARGUMENT on page_token', async () => {
    const pager = new Pager(temp.store, { now: () => new Date('2026-01-01T00:00:00Z') }, Buffer.alloc(32, 7));
    const real = await pager.issue('scope', ['a', 'e3v00000000000000001']);
    const token = fc.oneof(
      fc.string({ maxLength: 100 }),
      fc.stringMatching(/^s[A-Za-z0-9_-]{22}$/),
      fc.tuple(fc.nat({ max: real.length - 1 }), fc.string({ minLength: 1, maxLength: 1 })).map(([i, c]) => real.slice(0, i) + c + real.slice(i + 1)),
    );
    await fc.assert(fc.asyncProperty(token, async (t) => {
      try {
        const last = await pager.resolve(t, 'scope');
        assert.ok(t === '' || t === real, `accepted a token it never issued: ${JSON.stringify(t)}`);
        if (t === real) assert.deepEqual(last, ['a', 'e3v00000000000000001']);
      } catch (e) {
        assert.ok(e instanceof InvalidArgumentError && e.violations[0]?.field === 'page_token', `threw ${String(e)}`);
      }
    }), fuzzParams(1000));
  });
});
