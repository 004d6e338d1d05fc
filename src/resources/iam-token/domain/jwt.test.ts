import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { checkClaims, IAM_TOKEN_AUDIENCE, JwtError, parseJwt, replayKey, signJwt, verifySignature } from './jwt.js';

const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privateKey = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const publicKey = pair.publicKey.export({ type: 'spki', format: 'pem' }) as string;
const at = new Date('2026-03-01T10:00:00Z');
const t = at.getTime() / 1000;
const key = { keyId: 'ajekey', serviceAccountId: 'ajesa', privateKey };

function payload(p: Record<string, unknown>) {
  return { iss: 'ajesa', aud: IAM_TOKEN_AUDIENCE, iat: t, exp: t + 3600, ...p } as Parameters<typeof checkClaims>[0];
}

describe('service account JWT', () => {
  it('signs as the SDKs do and verifies with the public key', () => {
    const jwt = parseJwt(signJwt(key, at));
    assert.deepEqual(jwt.header, { alg: 'PS256', typ: 'JWT', kid: 'ajekey' });
    assert.deepEqual(jwt.payload, { iss: 'ajesa', aud: IAM_TOKEN_AUDIENCE, iat: t, exp: t + 3600 });
    checkClaims(jwt.payload, at);
    assert.ok(verifySignature(jwt, publicKey));
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    assert.equal(verifySignature(jwt, other), false);
  });

  it('accepts a marker line before the PEM, as in current key files', () => {
    const marked = `PLEASE DO NOT REMOVE THIS LINE! Yandex.Cloud SA Key ID <ajekey>\n${privateKey}`;
    assert.ok(verifySignature(parseJwt(signJwt({ ...key, privateKey: marked }, at)), publicKey));
  });

  it('refuses a tampered payload', () => {
    const [h, , s] = signJwt(key, at).split('.');
    const forged = Buffer.from(JSON.stringify(payload({ iss: 'ajeother' }))).toString('base64url');
    assert.equal(verifySignature(parseJwt(`${h}.${forged}.${s}`), publicKey), false);
  });

  it('checks audience (string or one-element array), lifetime and clock', () => {
    checkClaims(payload({ aud: [IAM_TOKEN_AUDIENCE] }), at);
    checkClaims(payload({ iat: t + 30, exp: t + 3630 }), at); // within the skew
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ aud: [IAM_TOKEN_AUDIENCE, 'x'] }, /aud/],
      [{ aud: 'https://iam.api.cloud.yandex.net/iam/v1/tokens/' }, /aud/],
      [{ exp: t + 3601 }, /3600/],
      [{ exp: t }, /after iat/],
      [{ iat: t - 4000, exp: t - 400 }, /expired/],
      [{ iat: t + 120, exp: t + 600 }, /not valid yet/],
      [{ nbf: t + 120 }, /not valid yet/],
    ];
    for (const [p, re] of bad) assert.throws(() => checkClaims(payload(p), at), (e: Error) => e instanceof JwtError && re.test(e.message));
  });

  it('refuses malformed tokens without echoing them', () => {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const cases: [string, RegExp][] = [
      ['a.b', /compact JWS/],
      ['a.b.c+d', /compact JWS/],
      [`${enc({ alg: 'none', kid: 'k' })}.${enc(payload({}))}.c2ln`, /PS256/],
      [`${enc({ alg: 'PS256' })}.${enc(payload({}))}.c2ln`, /kid/],
      [`${enc({ alg: 'PS256', kid: 'k', typ: 'JWE' })}.${enc(payload({}))}.c2ln`, /typ/],
      [`${enc({ alg: 'PS256', kid: 'k' })}.${enc({ ...payload({}), iat: '1' })}.c2ln`, /iat/],
      [`${enc({ alg: 'PS256', kid: 'k' })}.bm90IGpzb24.c2ln`, /payload/],
      [`${enc({ alg: 'PS256', kid: 'k', crit: ['exp'] })}.${enc(payload({}))}.c2ln`, /crit/],
      [`${enc({ alg: 'PS256', kid: 'k', crit: [] })}.${enc(payload({}))}.c2ln`, /crit/],
      [`${enc({ alg: 'PS256', kid: 'k' })}.${enc({ ...payload({}), jti: 7 })}.c2ln`, /jti/],
    ];
    for (const [text, re] of cases) {
      assert.throws(() => parseJwt(text), (e: Error) => e instanceof JwtError && re.test(e.message) && !e.message.includes(text));
    }
  });
  it('identifies a JWT for replay by jti within the issuer, else by its text and signature bytes', () => {
    const a = parseJwt(signJwt(key, at));
    const b = parseJwt(signJwt(key, at)); // same second, salted signature: another JWT
    // 256 signature bytes leave 4 unused bits in the last character: a second spelling.
    const text = `${a.signingInput}.${a.signature.toString('base64url')}`;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = text.slice(0, -1) + alphabet[alphabet.indexOf(text.at(-1)!) ^ 1];
    assert.notEqual(respelled, text);
    assert.equal(replayKey(a), replayKey(parseJwt(respelled)));
    assert.notEqual(replayKey(a), replayKey(b));
    const withJti = (iss: string, sig: string) => {
      const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      return parseJwt(`${enc({ alg: 'PS256', kid: 'k' })}.${enc(payload({ iss, jti: 'j1' }))}.${sig}`);
    };
    assert.equal(replayKey(withJti('ajesa', 'c2ln')), replayKey(withJti('ajesa', 'b3RoZXI')));
    assert.notEqual(replayKey(withJti('ajesa', 'c2ln')), replayKey(withJti('ajeother', 'c2ln')));
  });
});
