/**
 * Fuzzing of service-account JWT parsing: any text is parsed or refused with a JwtError (which
 * the exchange answers UNAUTHENTICATED) that does not echo the text; nothing else escapes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkClaims, JwtError, parseJwt, replayKey } from './jwt.js';
import { FUZZ_SEED, fuzzParams } from '../../../fuzz-params.js';

const enc = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const json = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.record({
    alg: fc.constantFrom('PS256', 'none', 'RS256', 7), kid: fc.oneof(fc.string(), fc.constant(undefined)),
    typ: fc.constantFrom('JWT', 'jwt', 'JWE', undefined), crit: fc.constantFrom(undefined, [], ['exp']),
  }, { requiredKeys: [] }),
  fc.record({
    iss: fc.oneof(fc.string(), fc.integer()), aud: fc.jsonValue({ maxDepth: 1 }), iat: fc.oneof(fc.integer(), fc.double(), fc.string()),
    exp: fc.oneof(fc.integer(), fc.double()), nbf: fc.integer(), jti: fc.oneof(fc.string(), fc.integer()),
  }, { requiredKeys: [] }),
);
const jwtText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.tuple(json, json, fc.string({ maxLength: 40 })).map(([h, p, s]) => `${enc(h)}.${enc(p)}.${enc(s)}`),
);

describe(`fuzz: JWT parsing (seed ${FUZZ_SEED})`, () => {
  it('parses or refuses with a JwtError that never contains the JWT', () => {
    fc.assert(fc.property(jwtText, (text) => {
      try {
        const jwt = parseJwt(text);
        replayKey(jwt);
        checkClaims(jwt.payload, new Date('2026-01-01T00:00:00Z'));
      } catch (e) {
        assert.ok(e instanceof JwtError, `threw ${String(e)}`);
        assert.ok(text.length < 12 || !e.message.includes(text));
      }
    }), fuzzParams(3000));
  });
});
