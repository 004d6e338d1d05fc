/**
 * Fuzzing of qcow2 header parsing: valid headers with random bytes overwritten, and random
 * bytes. The answer is a header or INVALID_ARGUMENT on `uri` (the import's source field).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InvalidArgumentError } from '../../domain/errors.js';
import { checkQcow2Extent, parseQcow2Header } from './qcow2.js';
import { buildQcow2 } from './qcow2-fixture.js';
import { FUZZ_SEED, fuzzParams } from '../../fuzz-params.js';

const bases = [buildQcow2({ version: 2 }), buildQcow2({ version: 3 }), buildQcow2({ version: 3, clusterBits: 16, virtualSize: 1n << 34n })];

const damaged = fc.tuple(
  fc.nat({ max: bases.length - 1 }),
  fc.array(fc.tuple(fc.nat({ max: 111 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
  fc.nat({ max: 120 }),
).map(([b, writes, cut]) => {
  const img = Uint8Array.from(bases[b]!.subarray(0, 512));
  for (const [at, byte] of writes) img[at] = byte;
  return cut < 110 ? img.subarray(0, cut) : img;
});

describe(`fuzz: qcow2 headers (seed ${FUZZ_SEED})`, () => {
  it('parses or refuses with INVALID_ARGUMENT on uri', () => {
    const bytes = fc.oneof(damaged, fc.uint8Array({ maxLength: 120 }));
    fc.assert(fc.property(bytes, fc.nat(), (buf, fileSize) => {
      try {
        const h = parseQcow2Header(buf, { maxVirtualSize: 1n << 42n });
        checkQcow2Extent(h, fileSize);
      } catch (e) {
        assert.ok(e instanceof InvalidArgumentError, `threw ${String(e)}`);
        assert.equal(e.violations[0]?.field, 'uri');
      }
    }), fuzzParams(5000));
  });
});
