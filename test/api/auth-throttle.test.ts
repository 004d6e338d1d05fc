/**
 * Authentication hardening against a real server with default settings: a JWT is exchanged at
 * most once, a JWT with a `crit` header is refused, and 50 failed authentications within 10 s
 * from one address turn its further failures into RESOURCE_EXHAUSTED (HTTP 429), while a valid
 * credential from that address still passes and a refused JWT exchange counts as a failure.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../harness/server.js';
import { sdkFor, type SdkClients } from '../harness/sdk.js';
import { rejectsWith } from '../harness/assert-error.js';
import { AUDIENCE, createIdentity, jsonwebtoken, sdkJwt, type Identity } from '../harness/iam.js';

let server: RunningServer;
let admin: SdkClients;
let alice: Identity;

before(async () => {
  server = await startServer();
  admin = sdkFor(server);
  alice = await createIdentity(admin, { name: 'alice', grants: [['f-throttle', 'viewer']] });
});

after(async () => {
  admin.close();
  await server.cleanup();
});

const list = (token: string) => fetch(`http://${server.address}/cloud-desktop/v1/images?folderId=f-throttle`, { headers: { authorization: `Bearer ${token}` } });
const exchangeRest = (jwt: string) => fetch(`http://${server.address}/iam/v1/tokens`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jwt }),
});

describe('JWT exchange', () => {
  it('exchanges an SDK JWT once; the same JWT again is UNAUTHENTICATED', async () => {
    const jwt = sdkJwt(alice);
    await admin.iamTokens.create({ jwt });
    await rejectsWith(admin.iamTokens.create({ jwt }), 16, /already been exchanged.*sign a new JWT/);
    await admin.iamTokens.create({ jwt: sdkJwt(alice) });
  });

  it('refuses a JWT with a crit header, and one whose jti was used', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: alice.serviceAccountId, aud: AUDIENCE, iat: now, exp: now + 3600 };
    const sign = (payload: object, header: object = {}) =>
      jsonwebtoken.sign(payload, alice.privateKey, { algorithm: 'PS256', keyid: alice.keyId, header: { alg: 'PS256', ...header } } as never);
    await rejectsWith(admin.iamTokens.create({ jwt: sign(claims, { crit: ['x-ext'], 'x-ext': 1 }) }), 16, /crit/);
    await admin.iamTokens.create({ jwt: sign({ ...claims, jti: 'once' }) });
    await rejectsWith(admin.iamTokens.create({ jwt: sign({ ...claims, jti: 'once' }) }), 16, /already been exchanged/);
  });
});

describe('throttling failed authentication', () => {
  it('answers 429 after 50 failures in 10 s; a valid credential still passes; refused JWTs count', async () => {
    // The JWT tests above failed 3 times within the last seconds: 47 more reach the limit.
    for (let i = 0; i < 5; i++) assert.equal((await exchangeRest(`e30.e30.${i}`)).status, 401);
    for (let i = 0; i < 42; i++) assert.equal((await list(`t1.wrong.${i}`)).status, 401);
    const limited = await list('t1.wrong.again');
    assert.equal(limited.status, 429);
    const body = (await limited.json()) as { code: number; message: string };
    assert.equal(body.code, 8);
    assert.match(body.message, /Too many failed authentication attempts.*retry in \d+ s/);
    assert.equal((await exchangeRest('e30.e30.x')).status, 429);
    assert.equal((await list(alice.token)).status, 200);
    assert.equal((await list(server.token)).status, 200);
    // Without --trust-proxy a forwarded address is not believed.
    const forwarded = await fetch(`http://${server.address}/cloud-desktop/v1/images?folderId=f-throttle`, {
      headers: { authorization: 'Bearer t1.wrong', 'x-forwarded-for': '192.0.2.7' },
    });
    assert.equal(forwarded.status, 429);
  });
});
