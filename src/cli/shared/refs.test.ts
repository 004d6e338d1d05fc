import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseByteSize, parseLabels, parseLimit } from './refs.js';
import { UsageError } from './globals.js';
import { table } from './output.js';

describe('CLI flag values', () => {
  it('parses labels, byte sizes and limits as yc does, and names the flag when they are wrong', () => {
    assert.deepEqual(parseLabels('env=prod,team=a=b'), { env: 'prod', team: 'a=b' });
    assert.deepEqual(parseLabels(''), {});
    assert.throws(() => parseLabels('env'), (e: unknown) => e instanceof UsageError && /--labels: "env"/.test(e.message));
    assert.equal(parseByteSize('--min-disk-size', '10G'), 10n * 1024n ** 3n);
    assert.equal(parseByteSize('--min-disk-size', '4194304'), 4194304n);
    assert.equal(parseByteSize('--min-disk-size', '512mb'), 512n * 1024n ** 2n);
    assert.throws(() => parseByteSize('--min-disk-size', 'big'), UsageError);
    assert.equal(parseLimit('3'), 3);
    assert.throws(() => parseLimit('-3'), UsageError);
  });

  it('draws yc\'s table', () => {
    assert.equal(table(['ID', 'NAME'], [['abc', 'x']]), '+-----+------+\n| ID  | NAME |\n+-----+------+\n| abc | x    |\n+-----+------+\n');
  });
});
