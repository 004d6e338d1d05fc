/** Fuzzing of REST body parsing: any bytes give a value, no body, or INVALID_ARGUMENT. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InvalidArgumentError } from '../../domain/errors.js';
import { parseStrictJson } from './strict-json.js';
import { FUZZ_SEED, fuzzParams } from '../../fuzz-params.js';

describe(`fuzz: JSON bodies (seed ${FUZZ_SEED})`, () => {
  it('parses what JSON.parse parses unless a key repeats; refuses the rest', () => {
    const text = fc.oneof(fc.json({ maxDepth: 3 }), fc.string({ maxLength: 80 }), fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b).toString('latin1')));
    fc.assert(fc.property(fc.oneof(text.map((t) => Buffer.from(t)), fc.uint8Array({ maxLength: 80 })), (bytes) => {
      try {
        parseStrictJson(bytes);
      } catch (e) {
        assert.ok(e instanceof InvalidArgumentError, `threw ${String(e)}`);
        assert.ok(e.message.length > 0);
      }
    }), fuzzParams(3000));
  });

  it('refuses every object that repeats a key, naming it', () => {
    const key = fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !/[.[\]]/.test(k));
    fc.assert(fc.property(key, fc.jsonValue({ maxDepth: 1 }), fc.jsonValue({ maxDepth: 1 }), (k, a, b) => {
      const q = JSON.stringify(k);
      assert.throws(() => parseStrictJson(Buffer.from(`{"outer":{${q}:${JSON.stringify(a)},${q}:${JSON.stringify(b)}}}`)),
        (e: unknown) => e instanceof InvalidArgumentError && e.violations[0]?.field === `outer.${k}`);
    }), fuzzParams(1000));
  });
});
