/**
 * IamTokenService.Create and authentication, through the official SDK's generated clients:
 * a JWT signed by the SDK's own code is exchanged for a 12-hour token; wrong signature, wrong
 * key, expired or over-long JWTs are refused; every RPC without a token, with a malformed
 * header or with an unknown token is UNAUTHENTICATED; deleting a key or a service account
 * revokes its tokens at once.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { Client, credentials, Metadata as GrpcMetadata } from '@grpc/grpc-js';
import { DesktopImageService } from '../../src/gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { ImageService } from '../../src/gen/yandex/cloud/compute/v1/image_service_pb.js';
import { OperationService } from '../../src/gen/yandex/cloud/operation/operation_service_pb.js';
import { IamTokenService } from '../../src/gen/yandex/cloud/iam/v1/iam_token_service_pb.js';
import { ServiceAccountService } from '../../src/gen/yandex/cloud/iam/v1/service_account_service_pb.js';
import { KeyService } from '../../src/gen/yandex/cloud/iam/v1/key_service_pb.js';
import { RoleService } from '../../src/gen/yandex/cloud/iam/v1/role_service_pb.js';
import { FolderService } from '../../src/gen/yandex/cloud/resourcemanager/v1/folder_service_pb.js';
import { startServer, type RunningServer } from '../harness/server.js';
import { sdkFor, waitDone, type SdkClients } from '../harness/sdk.js';
import { rejectsWith } from '../harness/assert-error.js';
import { waitFor } from '../harness/wait.js';
import { withMetadata } from '../audit/audit-files.js';
import { AUDIENCE, createIdentity, customJwt, exchange, sdkJwt, type Identity } from '../harness/iam.js';

let server: RunningServer;
let admin: SdkClients;
let alice: Identity;

before(async () => {
  // The loops below send hundreds of wrong tokens: throttling is tested in auth-throttle.test.ts.
  server = await startServer({ args: ['--auth-failure-limit', '0'] });
  admin = sdkFor(server);
  alice = await createIdentity(admin, { name: 'alice', grants: [['f-tokens', 'viewer']] });
});

after(async () => {
  admin.close();
  await server.cleanup();
});

const now = () => Math.floor(Date.now() / 1000);
const UNAUTH = 16;

describe('IamTokenService.Create', () => {
  it('exchanges a JWT signed by the SDK for a 12-hour token, without an authorization header', async () => {
    const anonymous = sdkFor(server, null);
    const started = Date.now();
    const res = await anonymous.iamTokens.create({ jwt: sdkJwt(alice) });
    anonymous.close();
    assert.match(res.iamToken, /^t1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/);
    const ttl = res.expiresAt.getTime() - started;
    assert.ok(ttl > 12 * 3600_000 - 60_000 && ttl <= 12 * 3600_000 + 60_000, `expires in ${ttl} ms`);
    const sdk = sdkFor(server, res.iamToken);
    assert.deepEqual(await sdk.desktopImages.list({ folderId: 'f-tokens' }), { desktopImages: [], nextPageToken: '' });
    sdk.close();
  });

  it('accepts aud as a one-element array (go SDK) and exp - iat = 3600 exactly', async () => {
    const iat = now();
    const jwt = customJwt(alice.privateKey, alice.keyId, { iss: alice.serviceAccountId, aud: [AUDIENCE], iat, exp: iat + 3600 });
    assert.match(await exchange(admin, jwt), /^t1\./);
  });

  it('issues a new token each time; older ones stay valid', async () => {
    const a = await exchange(admin, sdkJwt(alice));
    const b = await exchange(admin, sdkJwt(alice));
    assert.notEqual(a, b);
    for (const t of [a, b]) {
      const sdk = sdkFor(server, t);
      await sdk.desktopImages.list({ folderId: 'f-tokens' });
      sdk.close();
    }
  });

  it('refuses a JWT that is wrongly signed, expired, too long, for another audience or key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const iat = now();
    const ok = { iss: alice.serviceAccountId, aud: AUDIENCE, iat, exp: iat + 3600 };
    const cases: [string, string, RegExp][] = [
      ['foreign private key', customJwt(other, alice.keyId, ok), /signature does not verify/],
      ['unknown key id', customJwt(alice.privateKey, 'ajeunknownkey0000000', ok), /signature does not verify/],
      ['issuer is not the key owner', customJwt(alice.privateKey, alice.keyId, { ...ok, iss: 'ajeother000000000000' }), /signature does not verify/],
      ['expired', customJwt(alice.privateKey, alice.keyId, { ...ok, iat: iat - 7200, exp: iat - 3600 }), /expired/],
      ['lifetime over 3600 s', customJwt(alice.privateKey, alice.keyId, { ...ok, exp: iat + 3601 }), /3600/],
      ['issued in the future', customJwt(alice.privateKey, alice.keyId, { ...ok, iat: iat + 600, exp: iat + 1200 }), /not valid yet/],
      ['wrong audience', customJwt(alice.privateKey, alice.keyId, { ...ok, aud: 'https://example.com/tokens' }), /aud must be/],
      ['RS256 instead of PS256', customJwt(alice.privateKey, alice.keyId, ok, 'RS256'), /alg must be PS256/],
      ['not a JWT', 'abc.def', /compact JWS/],
    ];
    for (const [what, jwt, message] of cases) {
      const f = await rejectsWith(admin.iamTokens.create({ jwt }), UNAUTH, message);
      assert.ok(!f.details.includes(jwt), `${what}: the JWT is echoed`);
    }
  });

  it('refuses a Yandex OAuth token and an empty request', async () => {
    await rejectsWith(admin.iamTokens.create({ yandexPassportOauthToken: 'y0_abc' }), 3, /yandex_passport_oauth_token/);
    await rejectsWith(admin.iamTokens.create({}), 3, /Exactly one of/);
  });
});

/** Every RPC path we declare, called with an empty request (zero bytes) through raw grpc-js. */
const SERVICES = [DesktopImageService, ImageService, OperationService, IamTokenService, ServiceAccountService, KeyService, RoleService, FolderService];

function rawCall(client: Client, path: string, headers: Record<string, string>): Promise<{ code: number; details: string }> {
  const md = new GrpcMetadata();
  for (const [k, v] of Object.entries(headers)) md.set(k, v);
  return new Promise((resolve) => {
    client.makeUnaryRequest(path, () => Buffer.alloc(0), (b: Buffer) => b, {}, md, (err) =>
      resolve(err ? { code: err.code, details: err.details } : { code: 0, details: '' }));
  });
}

describe('authentication of every RPC', () => {
  it('answers UNAUTHENTICATED without a token, with a malformed header or an unknown token', async () => {
    const variants: [string, Record<string, string>, RegExp][] = [
      ['no header', {}, /Authentication required/],
      ['Basic scheme', { authorization: 'Basic YWxpY2U6c2VjcmV0' }, /Authentication required/],
      ['Bearer without token', { authorization: 'Bearer ' }, /Authentication required/],
      ['two tokens', { authorization: `Bearer ${alice.token} ${alice.token}` }, /Authentication required/],
      ['unknown token', { authorization: 'Bearer t1.unknown.token' }, /The token is invalid or has expired/],
      ['bootstrap token with a typo', { authorization: `Bearer ${server.token}x` }, /The token is invalid or has expired/],
    ];
    const client = new Client(server.address, credentials.createInsecure());
    let calls = 0;
    for (const service of SERVICES) {
      for (const method of service.methods) {
        const path = `/${service.typeName}/${method.name}`;
        for (const [what, headers, message] of variants) {
          const r = await rawCall(client, path, headers);
          if (path.endsWith('IamTokenService/Create')) {
            assert.equal(r.code, 3, `${path}, ${what}: authenticates by its JWT, so the empty request is invalid`);
            continue;
          }
          assert.equal(r.code, UNAUTH, `${path}, ${what}: ${r.code} ${r.details}`);
          assert.match(r.details, message, `${path}, ${what}`);
          assert.ok(!r.details.includes(alice.token) && !r.details.includes(server.token), 'a token is echoed');
          calls++;
        }
      }
    }
    client.close();
    assert.ok(calls >= 6 * 45, `only ${calls} calls`);
  });

  it('answers 401 over REST', async () => {
    const url = `http://${server.address}/cloud-desktop/v1/images?folderId=f-tokens`;
    const res = await fetch(url);
    assert.equal(res.status, 401);
    const body = (await res.json()) as { code: number; message: string };
    assert.equal(body.code, 16);
    assert.equal((await fetch(url, { headers: { authorization: `Bearer ${alice.token}` } })).status, 200);
  });

  it('exchanges a JWT over REST: POST /iam/v1/tokens', async () => {
    const res = await fetch(`http://${server.address}/iam/v1/tokens`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jwt: sdkJwt(alice) }),
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { iamToken: string; expiresAt: string };
    assert.match(body.iamToken, /^t1\./);
    assert.match(body.expiresAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  });
});

describe('revocation', () => {
  it('deleting a key revokes its tokens at once; tokens of another key stay valid', async () => {
    const bob = await createIdentity(admin, { name: 'bob', grants: [['f-tokens', 'viewer']] });
    const second = await admin.keys.create({ serviceAccountId: bob.serviceAccountId });
    const other = await exchange(admin, sdkJwt({ ...bob, keyId: second.key.id, privateKey: second.privateKey }));
    const viaFirst = sdkFor(server, bob.token);
    const viaSecond = sdkFor(server, other);
    await viaFirst.desktopImages.list({ folderId: 'f-tokens' }); // now cached
    const op = await waitDone(admin, await admin.keys.delete({ keyId: bob.keyId }));
    assert.equal(op.error, undefined);
    await rejectsWith(viaFirst.desktopImages.list({ folderId: 'f-tokens' }), UNAUTH, /invalid or has expired/);
    await rejectsWith(admin.iamTokens.create({ jwt: sdkJwt(bob) }), UNAUTH);
    await viaSecond.desktopImages.list({ folderId: 'f-tokens' });
    await waitDone(admin, await admin.serviceAccounts.delete({ serviceAccountId: bob.serviceAccountId }));
    await rejectsWith(viaSecond.desktopImages.list({ folderId: 'f-tokens' }), UNAUTH);
    viaFirst.close();
    viaSecond.close();
  });
});

describe('logs', () => {
  it('carry the subject of each call but never a token, a JWT or a private key', async () => {
    const jwt = sdkJwt(alice);
    const token = await exchange(admin, jwt);
    const sdk = sdkFor(server, token);
    // Own request ids, so the wait below finds the log lines of these two calls, not older ones.
    const [allowed, denied] = [randomUUID(), randomUUID()];
    await sdk.desktopImages.list({ folderId: 'f-tokens' }, withMetadata(token, { 'x-request-id': allowed }));
    await sdk.desktopImages.list({ folderId: 'f-elsewhere' }, withMetadata(token, { 'x-request-id': denied })).catch(() => undefined);
    sdk.close();
    // The server batches its log writes (flushed at least every 200 ms): wait until the lines of
    // both calls are in. stdout keeps order, so every earlier line (the exchange's too) is as well.
    await waitFor(() => [allowed, denied].every((id) => server.logs.some((l) => l['msg'] === 'rpc' && l['requestId'] === id)), {
      what: 'the rpc log lines of both List calls',
      timeoutMs: 10_000,
      detail: () => `${server.logs.length} log lines`,
    });
    const text = JSON.stringify(server.logs);
    for (const secret of [token, alice.token, server.token, jwt, jwt.split('.')[2]!, 'PRIVATE KEY', alice.privateKey.split('\n')[1]!]) {
      assert.ok(!text.includes(secret), `the log holds ${secret.slice(0, 12)}...`);
    }
    const lines = server.logs.filter((l) => l['msg'] === 'rpc' && l['subject'] === alice.serviceAccountId);
    assert.ok(lines.some((l) => l['code'] === 'PERMISSION_DENIED'));
    // Each of the two calls: its line names alice, with the call's outcome.
    assert.ok(lines.some((l) => l['requestId'] === allowed && l['code'] === 'OK'), 'the allowed List is logged with alice as subject');
    assert.ok(lines.some((l) => l['requestId'] === denied && l['code'] === 'PERMISSION_DENIED'), 'the denied List is logged with alice as subject');
  });
});
