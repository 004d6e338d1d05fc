import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PG_TYPES, toPgPlaceholders } from './pg-executor.js';

describe('PgExecutor', () => {
  it('numbers ? placeholders in order, leaving quoted text alone', () => {
    assert.equal(toPgPlaceholders('SELECT * FROM t WHERE a = ? AND b IN (?, ?) LIMIT ?'), 'SELECT * FROM t WHERE a = $1 AND b IN ($2, $3) LIMIT $4');
    assert.equal(toPgPlaceholders(`SELECT '?', "a?b", 'it''s ?' FROM t WHERE x = ?`), `SELECT '?', "a?b", 'it''s ?' FROM t WHERE x = $1`);
    assert.equal(toPgPlaceholders("CREATE UNIQUE INDEX i ON t (f, n) WHERE n <> ''"), "CREATE UNIQUE INDEX i ON t (f, n) WHERE n <> ''");
  });

  it('reads BIGINT and NUMERIC as numbers, and refuses to round one beyond 2^53', () => {
    const int8 = PG_TYPES.getTypeParser(20, 'text') as (t: string) => unknown;
    const numeric = PG_TYPES.getTypeParser(1700, 'text') as (t: string) => unknown;
    assert.equal(int8('1700000000000'), 1_700_000_000_000);
    assert.equal(numeric('4398046511104'), 4 * 1024 ** 4);
    assert.throws(() => int8('9007199254740993'), RangeError);
    assert.equal((PG_TYPES.getTypeParser(25, 'text') as (t: string) => unknown)('text'), 'text');
  });
});
