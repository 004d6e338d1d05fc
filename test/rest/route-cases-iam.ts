/**
 * Expected REST outcomes of the IAM and Resource Manager RPCs (IamTokenService,
 * ServiceAccountService, KeyService, RoleService, FolderService), in the form of route-cases.ts.
 * The RPCs clouddesk declares but does not serve are listed under `unimplemented`: a valid
 * request passes validation and authorization and gets 501 with code 12.
 *
 *   [`${SA}/Get`]: (fx) => ({ request: { serviceAccountId: fx.serviceAccount.id }, status: 200, check })
 */
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { sdkJwt } from '../harness/iam.js';
import { operation, T, TIME, unimplemented, unique, withoutType, type Expected, type Fixtures } from './route-cases.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const TOKENS = '/yandex.cloud.iam.v1.IamTokenService';
const SA = '/yandex.cloud.iam.v1.ServiceAccountService';
const KEYS = '/yandex.cloud.iam.v1.KeyService';
const ROLES = '/yandex.cloud.iam.v1.RoleService';
const FOLDERS = '/yandex.cloud.resourcemanager.v1.FolderService';
const IAM_ID = /^aje[a-z0-9]{17}$/;
const TOKEN = /^t1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/;
const TOKEN_LIFETIME_MS = 12 * 3600_000;

const account = (id: string) => ({ id, type: 'serviceAccount' });
const everyone = { id: 'allAuthenticatedUsers', type: 'system' };
const binding = (roleId: string, subject: { id: string; type: string }) => ({ roleId, subject });

/** Lists a folder's access bindings as the bootstrap admin. */
async function bindingsOf(fx: Fixtures, folderId: string): Promise<Json> {
  const res = await fx.rest.get(`/resource-manager/v1/folders/${folderId}:listAccessBindings`);
  assert.equal(res.status, 200, res.text);
  return res.json;
}

export const iamOutcomes: Record<string, (fx: Fixtures) => Promise<Expected> | Expected> = {
  // A JWT signed by the SDK's own code, exchanged without any credential.
  [`${TOKENS}/Create`]: async (fx) => {
    const sa = await fx.newServiceAccount(unique('token-robot'));
    const { key, privateKey } = await fx.newKey(sa.id);
    const started = Date.now();
    return {
      request: { jwt: sdkJwt({ serviceAccountId: sa.id, keyId: key.id, privateKey }) },
      token: null,
      status: 200,
      check: async (b) => {
        assert.deepEqual(Object.keys(b).sort(), ['expiresAt', 'iamToken']);
        assert.match(b.iamToken, TOKEN);
        assert.match(b.expiresAt, TIME);
        const ttl = Date.parse(b.expiresAt) - started;
        assert.ok(Math.abs(ttl - TOKEN_LIFETIME_MS) < 60_000, `expires in ${ttl} ms`);
        // The token authenticates (RoleService needs nothing more), and the key is marked used.
        const roles = await fx.restAs(b.iamToken).get('/iam/v1/roles/viewer');
        assert.equal(roles.status, 200, roles.text);
        const used = await fx.rest.get(`/iam/v1/keys/${key.id}`);
        assert.match(used.json.lastUsedAt, TIME);
      },
    };
  },

  [`${SA}/Get`]: (fx) => ({
    request: { serviceAccountId: fx.serviceAccount.id },
    status: 200,
    check: (b) => {
      assert.deepEqual(b, fx.serviceAccount);
      assert.deepEqual(Object.keys(b).sort(), ['createdAt', 'description', 'folderId', 'id', 'labels', 'name', 'status']);
      assert.match(b.id, IAM_ID);
      assert.equal(b.status, 'ACTIVE');
      assert.match(b.createdAt, TIME);
    },
  }),
  [`${SA}/List`]: (fx) => ({
    request: { folderId: fx.folder, filter: `name = "${fx.serviceAccount.name}"` },
    status: 200,
    check: (b) => assert.deepEqual(b, { serviceAccounts: [fx.serviceAccount] }),
  }),
  [`${SA}/Create`]: (fx) => {
    const name = unique('created-robot');
    return {
      request: { folderId: fx.folder, name, description: 'd', labels: { team: 'vdi' } },
      status: 200,
      check: operation(fx, 'Create service account', 'yandex.cloud.iam.v1.CreateServiceAccountMetadata', 'yandex.cloud.iam.v1.ServiceAccount',
        async (sa, done) => {
          assert.match(sa.id, IAM_ID);
          assert.match(sa.createdAt, TIME);
          assert.deepEqual(sa, {
            '@type': T + 'yandex.cloud.iam.v1.ServiceAccount',
            id: sa.id, folderId: fx.folder, createdAt: sa.createdAt, name, description: 'd', labels: { team: 'vdi' }, status: 'ACTIVE',
          });
          assert.equal(done.metadata.serviceAccountId, sa.id);
          assert.deepEqual((await fx.rest.get(`/iam/v1/serviceAccounts/${sa.id}`)).json, withoutType(sa));
        }),
    };
  },
  [`${SA}/Delete`]: async (fx) => {
    const sa = await fx.newServiceAccount(unique('deleted-robot'));
    return {
      request: { serviceAccountId: sa.id },
      status: 200,
      check: operation(fx, 'Delete service account', 'yandex.cloud.iam.v1.DeleteServiceAccountMetadata', 'google.protobuf.Empty',
        async (r, done) => {
          assert.deepEqual(r, { '@type': T + 'google.protobuf.Empty', value: {} });
          assert.equal(done.metadata.serviceAccountId, sa.id);
          assert.equal((await fx.rest.get(`/iam/v1/serviceAccounts/${sa.id}`)).status, 404);
        }),
    };
  },

  [`${KEYS}/Get`]: (fx) => ({
    request: { keyId: fx.key.id },
    status: 200,
    check: (b) => {
      assert.deepEqual(b, fx.key);
      assert.deepEqual(Object.keys(b).sort(), ['createdAt', 'description', 'id', 'keyAlgorithm', 'publicKey', 'serviceAccountId']);
      assert.equal(b.serviceAccountId, fx.serviceAccount.id);
      assert.equal(b.keyAlgorithm, 'RSA_2048');
      assert.match(b.publicKey, /^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
    },
  }),
  [`${KEYS}/List`]: (fx) => ({
    request: { serviceAccountId: fx.serviceAccount.id },
    status: 200,
    check: (b) => assert.deepEqual(b, { keys: [fx.key] }),
  }),
  // Synchronous: the key and its private half, never an Operation.
  [`${KEYS}/Create`]: async (fx) => {
    const sa = await fx.newServiceAccount(unique('keyed-robot'));
    return {
      request: { serviceAccountId: sa.id, description: 'ci', keyAlgorithm: 'RSA_2048', format: 'PEM_FILE' },
      status: 200,
      check: async (b) => {
        assert.deepEqual(Object.keys(b).sort(), ['key', 'privateKey']);
        assert.match(b.key.id, IAM_ID);
        assert.match(b.key.createdAt, TIME);
        assert.deepEqual({ ...b.key, id: '', createdAt: '', publicKey: '' }, {
          id: '', serviceAccountId: sa.id, createdAt: '', description: 'ci', keyAlgorithm: 'RSA_2048', publicKey: '',
        });
        assert.match(b.privateKey, /^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----\n$/);
        const pub = createPublicKey(b.privateKey);
        assert.equal(pub.export({ type: 'spki', format: 'pem' }), b.key.publicKey, 'the public half of the private key');
        assert.equal(pub.asymmetricKeyDetails?.modulusLength, 2048);
        assert.deepEqual((await fx.rest.get(`/iam/v1/keys/${b.key.id}`)).json, b.key);
      },
    };
  },
  [`${KEYS}/Delete`]: async (fx) => {
    const sa = await fx.newServiceAccount(unique('unkeyed-robot'));
    const { key } = await fx.newKey(sa.id);
    return {
      request: { keyId: key.id },
      status: 200,
      check: operation(fx, 'Delete key', 'yandex.cloud.iam.v1.DeleteKeyMetadata', 'google.protobuf.Empty', async (r, done) => {
        assert.deepEqual(r, { '@type': T + 'google.protobuf.Empty', value: {} });
        assert.equal(done.metadata.keyId, key.id);
        assert.equal((await fx.rest.get(`/iam/v1/keys/${key.id}`)).status, 404);
      }),
    };
  },

  // Any credential reads the catalogue: the outsider gets the same answer.
  [`${ROLES}/Get`]: (fx) => ({
    request: { roleId: 'vdi.viewer' },
    status: 200,
    check: async (b) => {
      assert.deepEqual(b, { id: 'vdi.viewer', description: 'Read desktop images, desktop groups, desktops, their operations and group access bindings; includes vdi.auditor.' });
      assert.deepEqual((await fx.restAs(fx.outsider).get('/iam/v1/roles/vdi.viewer')).json, b);
    },
  }),
  [`${ROLES}/List`]: (fx) => {
    const filter = 'id IN ("admin", "editor", "viewer")';
    return {
      request: { pageSize: '2', filter },
      status: 200,
      check: async (b) => {
        assert.deepEqual(Object.keys(b).sort(), ['nextPageToken', 'roles']);
        assert.deepEqual(b.roles.map((r: Json) => Object.keys(r).sort().join()), ['description,id', 'description,id']);
        assert.deepEqual(b.roles.map((r: Json) => r.id), ['admin', 'editor']);
        const next = await fx.rest.get(`/iam/v1/roles?${new URLSearchParams({ filter, pageToken: b.nextPageToken })}`);
        assert.deepEqual(next.json.roles.map((r: Json) => r.id), ['viewer'], next.text);
        assert.equal(next.json.nextPageToken, undefined, 'the last page has no token');
      },
    };
  },

  [`${FOLDERS}/ListAccessBindings`]: (fx) => ({
    request: { resourceId: fx.boundFolder },
    status: 200,
    // Ordered by role, subject type, subject id.
    check: (b) => assert.deepEqual(b, { accessBindings: [binding('vdi.viewer', everyone), binding('viewer', account(fx.serviceAccount.id))] }),
  }),
  [`${FOLDERS}/SetAccessBindings`]: async (fx) => {
    const folder = unique('routes-set');
    const robot = account(fx.serviceAccount.id);
    await fx.grant(folder, 'editor', robot);
    return {
      request: { resourceId: folder, accessBindings: [binding('viewer', robot), binding('vdi.viewer', everyone)] },
      status: 200,
      check: operation(fx, 'Set access bindings', 'yandex.cloud.access.SetAccessBindingsMetadata', 'yandex.cloud.access.AccessBindingsOperationResult',
        async (r, done) => {
          assert.deepEqual(r.effectiveDeltas, [
            { action: 'REMOVE', accessBinding: binding('editor', robot) },
            { action: 'ADD', accessBinding: binding('viewer', robot) },
            { action: 'ADD', accessBinding: binding('vdi.viewer', everyone) },
          ]);
          assert.equal(done.metadata.resourceId, folder);
          assert.deepEqual(await bindingsOf(fx, folder), { accessBindings: [binding('vdi.viewer', everyone), binding('viewer', robot)] });
        }),
    };
  },
  [`${FOLDERS}/UpdateAccessBindings`]: (fx) => {
    const folder = unique('routes-update');
    const robot = account(fx.serviceAccount.id);
    return {
      request: {
        resourceId: folder,
        accessBindingDeltas: [
          { action: 'ADD', accessBinding: binding('viewer', robot) },
          { action: 'REMOVE', accessBinding: binding('editor', robot) }, // not there: not effective
        ],
      },
      status: 200,
      check: operation(fx, 'Update access bindings', 'yandex.cloud.access.UpdateAccessBindingsMetadata', 'yandex.cloud.access.AccessBindingsOperationResult',
        async (r, done) => {
          assert.deepEqual(r.effectiveDeltas, [{ action: 'ADD', accessBinding: binding('viewer', robot) }]);
          assert.equal(done.metadata.resourceId, folder);
          assert.deepEqual(await bindingsOf(fx, folder), { accessBindings: [binding('viewer', robot)] });
        }),
    };
  },

  ...unimplemented({
    [`${TOKENS}/CreateForServiceAccount`]: (fx) => ({ serviceAccountId: fx.serviceAccount.id }),
    [`${TOKENS}/Revoke`]: () => ({ iamToken: 't1.unknown.token' }),
    [`${SA}/Update`]: (fx) => ({ serviceAccountId: fx.serviceAccount.id, updateMask: 'description', name: fx.serviceAccount.name, description: 'new' }),
    [`${SA}/ListAccessBindings`]: (fx) => ({ resourceId: fx.serviceAccount.id }),
    [`${SA}/SetAccessBindings`]: (fx) => ({ resourceId: fx.serviceAccount.id, accessBindings: [binding('viewer', account(fx.serviceAccount.id))] }),
    [`${SA}/UpdateAccessBindings`]: (fx) => ({
      resourceId: fx.serviceAccount.id,
      accessBindingDeltas: [{ action: 'ADD', accessBinding: binding('viewer', account(fx.serviceAccount.id)) }],
    }),
    [`${SA}/ListOperations`]: (fx) => ({ serviceAccountId: fx.serviceAccount.id, pageSize: '10' }),
    [`${SA}/Suspend`]: (fx) => ({ serviceAccountId: fx.serviceAccount.id, reason: 'routes' }),
    [`${SA}/Reactivate`]: (fx) => ({ serviceAccountId: fx.serviceAccount.id }),
    [`${KEYS}/Update`]: (fx) => ({ keyId: fx.key.id, updateMask: 'description', description: 'new' }),
    [`${KEYS}/ListOperations`]: (fx) => ({ keyId: fx.key.id, pageSize: '10' }),
    [`${FOLDERS}/Get`]: (fx) => ({ folderId: fx.folder }),
    // Installation-only (the bootstrap credential is what the cases send).
    [`${FOLDERS}/List`]: () => ({ cloudId: 'routes-cloud' }),
    [`${FOLDERS}/Create`]: () => ({ cloudId: 'routes-cloud', name: 'new-folder' }),
    [`${FOLDERS}/Update`]: (fx) => ({ folderId: fx.folder, updateMask: 'description', description: 'new' }),
    [`${FOLDERS}/Delete`]: (fx) => ({ folderId: fx.folder }),
    [`${FOLDERS}/ListOperations`]: (fx) => ({ folderId: fx.folder, pageSize: '10' }),
  }),
};
