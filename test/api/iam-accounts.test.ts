/**
 * ServiceAccountService, KeyService, RoleService and FolderService access bindings through the
 * official SDK's generated clients: resources, operations, validation, paging, and the rule
 * that nobody grants more than they hold.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { startServer, type RunningServer } from '../harness/server.js';
import { access, iam, sdkFor, waitDone, type SdkClients } from '../harness/sdk.js';
import { rejectsWith } from '../harness/assert-error.js';
import { ACCOUNTS_FOLDER, createIdentity, grant } from '../harness/iam.js';

const { ServiceAccount } = iam.serviceAccount;
const Algorithm = iam.key.Key_Algorithm;
let server: RunningServer;
let admin: SdkClients;

before(async () => {
  server = await startServer();
  admin = sdkFor(server);
});

after(async () => {
  admin.close();
  await server.cleanup();
});

async function createAccount(name: string, folderId = 'f-sa'): Promise<any> {
  const op = await admin.serviceAccounts.create({ folderId, name, description: 'd', labels: { team: 'vdi' } });
  assert.match(op.id, /^aje[a-z0-9]{17}$/);
  assert.equal(op.description, 'Create service account');
  assert.equal(op.createdBy, 'bootstrap');
  assert.equal(op.metadata.typeUrl, 'type.googleapis.com/yandex.cloud.iam.v1.CreateServiceAccountMetadata');
  const done = await waitDone(admin, op);
  assert.equal(done.response.typeUrl, 'type.googleapis.com/yandex.cloud.iam.v1.ServiceAccount');
  return ServiceAccount.decode(done.response.value);
}

describe('ServiceAccountService', () => {
  it('refuses expires_at (newer than SDK 3.2.0) clearly instead of ignoring it', async () => {
    const res = await fetch(`http://${server.address}/iam/v1/serviceAccounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}` },
      body: JSON.stringify({ folderId: 'f-sa', name: 'expiring', expiresAt: '2030-01-01T00:00:00Z' }),
    });
    assert.equal(res.status, 501);
    const body = (await res.json()) as { code: number; message: string };
    assert.equal(body.code, 12);
    assert.match(body.message, /^expires_at: /);
    const list = await admin.serviceAccounts.list({ folderId: 'f-sa', filter: 'name="expiring"' });
    assert.deepEqual(list.serviceAccounts, []);
  });

  it('creates, gets, lists and deletes a service account', async () => {
    const sa = await createAccount('robot');
    assert.match(sa.id, /^aje[a-z0-9]{17}$/);
    assert.deepEqual({ ...sa, createdAt: undefined }, {
      id: sa.id, folderId: 'f-sa', createdAt: undefined, name: 'robot', description: 'd', labels: { team: 'vdi' },
    });
    assert.deepEqual(await admin.serviceAccounts.get({ serviceAccountId: sa.id }), sa);
    const list = await admin.serviceAccounts.list({ folderId: 'f-sa', filter: 'name="robot"' });
    assert.deepEqual(list.serviceAccounts.map((a: any) => a.id), [sa.id]);
    const del = await waitDone(admin, await admin.serviceAccounts.delete({ serviceAccountId: sa.id }));
    assert.equal(del.response.typeUrl, 'type.googleapis.com/google.protobuf.Empty');
    assert.equal(iam.serviceAccountService.DeleteServiceAccountMetadata.decode(del.metadata.value).serviceAccountId, sa.id);
    await rejectsWith(admin.serviceAccounts.get({ serviceAccountId: sa.id }), 5, new RegExp(`Service account ${sa.id} not found`));
    await rejectsWith(admin.serviceAccounts.delete({ serviceAccountId: sa.id }), 5);
  });

  it('keeps names unique per folder and checks them against the contract pattern', async () => {
    await createAccount('dup');
    await rejectsWith(admin.serviceAccounts.create({ folderId: 'f-sa', name: 'dup' }), 6, /already exists/);
    await createAccount('dup', 'f-sa-2');
    for (const name of ['', 'Upper', '1abc', 'ends-', 'a'.repeat(64)]) {
      await rejectsWith(admin.serviceAccounts.create({ folderId: 'f-sa', name }), 3, /name/);
    }
    await createAccount('a');
    await rejectsWith(admin.serviceAccounts.create({ folderId: 'Bad_Folder', name: 'x' }), 3, /folder_id/);
  });

  it('pages a folder of accounts', async () => {
    for (const n of ['p1', 'p2', 'p3']) await createAccount(n, 'f-page');
    const first = await admin.serviceAccounts.list({ folderId: 'f-page', pageSize: 2 });
    assert.equal(first.serviceAccounts.length, 2);
    const second = await admin.serviceAccounts.list({ folderId: 'f-page', pageSize: 2, pageToken: first.nextPageToken });
    assert.deepEqual(second.serviceAccounts.map((a: any) => a.name), ['p3']);
    assert.equal(second.nextPageToken, '');
  });
});

describe('KeyService', () => {
  it('creates RSA keys, returns the private half once and only the public half afterwards', async () => {
    const sa = await createAccount('keyed');
    const k2048 = await admin.keys.create({ serviceAccountId: sa.id, description: 'ci' });
    assert.match(k2048.key.id, /^aje[a-z0-9]{17}$/);
    assert.equal(k2048.key.serviceAccountId, sa.id);
    assert.equal(k2048.key.keyAlgorithm, Algorithm.RSA_2048);
    assert.match(k2048.privateKey, /^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----\n$/);
    assert.equal(createPublicKey(k2048.key.publicKey).asymmetricKeyDetails?.modulusLength, 2048);
    const k4096 = await admin.keys.create({ serviceAccountId: sa.id, keyAlgorithm: Algorithm.RSA_4096 });
    assert.equal(createPublicKey(k4096.key.publicKey).asymmetricKeyDetails?.modulusLength, 4096);
    assert.deepEqual(await admin.keys.get({ keyId: k2048.key.id }), k2048.key);
    const list = await admin.keys.list({ serviceAccountId: sa.id, pageSize: 1 });
    assert.deepEqual(list.keys, [k2048.key]);
    const rest = await admin.keys.list({ serviceAccountId: sa.id, pageToken: list.nextPageToken });
    assert.deepEqual(rest.keys, [k4096.key]);
    const del = await waitDone(admin, await admin.keys.delete({ keyId: k4096.key.id }));
    assert.equal(del.error, undefined);
    await rejectsWith(admin.keys.get({ keyId: k4096.key.id }), 5, /Key .* not found/);
  });

  it('answers NOT_FOUND for an unknown account and INVALID_ARGUMENT for none with the bootstrap credential', async () => {
    await rejectsWith(admin.keys.create({ serviceAccountId: 'ajemissing0000000000' }), 5, /Service account/);
    await rejectsWith(admin.keys.create({}), 3, /service_account_id/);
  });

  it('lets a service account list its own keys with an empty service_account_id', async () => {
    const me = await createIdentity(admin, { name: 'self-lister', grants: [[ACCOUNTS_FOLDER, 'viewer']] });
    const sdk = sdkFor(server, me.token);
    const mine = await sdk.keys.list({});
    assert.deepEqual(mine.keys.map((k: any) => k.id), [me.keyId]);
    sdk.close();
  });
});

describe('RoleService', () => {
  it('lists and gets the catalogue', async () => {
    const ids = (await admin.roles.list({})).roles.map((r: any) => r.id);
    for (const id of ['admin', 'editor', 'viewer', 'vdi.admin', 'vdi.editor', 'vdi.viewer', 'vdi.auditor']) assert.ok(ids.includes(id), id);
    assert.equal((await admin.roles.get({ roleId: 'vdi.viewer' })).id, 'vdi.viewer');
    await rejectsWith(admin.roles.get({ roleId: 'owner' }), 5, /Role owner not found/);
    const page = await admin.roles.list({ pageSize: 2, filter: 'id IN ("admin", "editor", "viewer")' });
    assert.deepEqual(page.roles.map((r: any) => r.id), ['admin', 'editor']);
    const next = await admin.roles.list({ pageSize: 2, filter: 'id IN ("admin", "editor", "viewer")', pageToken: page.nextPageToken });
    assert.deepEqual(next.roles.map((r: any) => r.id), ['viewer']);
  });
});

const binding = (roleId: string, id: string, type = 'serviceAccount') => ({ roleId, subject: { id, type } });

describe('FolderService access bindings', () => {
  it('sets and updates bindings, reporting the effective deltas', async () => {
    const a = await createAccount('bind-a');
    const b = await createAccount('bind-b');
    const set = await waitDone(admin, await admin.folders.setAccessBindings({
      resourceId: 'f-bind', accessBindings: [binding('viewer', a.id), binding('vdi.editor', b.id)],
    }));
    assert.equal(set.response.typeUrl, 'type.googleapis.com/yandex.cloud.access.AccessBindingsOperationResult');
    assert.equal(access.SetAccessBindingsMetadata.decode(set.metadata.value).resourceId, 'f-bind');
    assert.equal(access.AccessBindingsOperationResult.decode(set.response.value).effectiveDeltas.length, 2);
    const upd = await waitDone(admin, await admin.folders.updateAccessBindings({
      resourceId: 'f-bind',
      accessBindingDeltas: [
        { action: 1, accessBinding: binding('viewer', a.id) },          // already there: not effective
        { action: 2, accessBinding: binding('vdi.editor', b.id) },
        { action: 1, accessBinding: binding('vdi.viewer', 'allAuthenticatedUsers', 'system') },
      ],
    }));
    assert.deepEqual(access.AccessBindingsOperationResult.decode(upd.response.value).effectiveDeltas, [
      { action: 2, accessBinding: binding('vdi.editor', b.id) },
      { action: 1, accessBinding: binding('vdi.viewer', 'allAuthenticatedUsers', 'system') },
    ]);
    const page = await admin.folders.listAccessBindings({ resourceId: 'f-bind', pageSize: 1 });
    const rest = await admin.folders.listAccessBindings({ resourceId: 'f-bind', pageToken: page.nextPageToken });
    assert.deepEqual([...page.accessBindings, ...rest.accessBindings], [binding('vdi.viewer', 'allAuthenticatedUsers', 'system'), binding('viewer', a.id)]);
  });

  it('refuses unknown roles, subjects and subject types, naming the field', async () => {
    const op = admin.folders.setAccessBindings({
      resourceId: 'f-bind-bad',
      accessBindings: [binding('owner', 'ajemissing0000000000'), binding('viewer', 'someone', 'userAccount')],
    });
    await rejectsWith(op, 3, /access_bindings\[0\]\.role_id: Role owner not found.*access_bindings\[0\]\.subject\.id.*access_bindings\[1\]\.subject\.type/);
  });

  it('lets a vdi.admin manage vdi.* bindings but grant nothing it does not hold', async () => {
    const boss = await createIdentity(admin, { name: 'vdi-boss', grants: [['f-vdi', 'vdi.admin']] });
    const helper = await createAccount('helper');
    await grant(admin, 'f-vdi', 'admin', helper.id);
    const sdk = sdkFor(server, boss.token);
    const add = (roleId: string, action = 1) => sdk.folders.updateAccessBindings({
      resourceId: 'f-vdi', accessBindingDeltas: [{ action, accessBinding: binding(roleId, helper.id) }],
    });
    assert.equal((await waitDone(sdk, await add('vdi.viewer'))).error, undefined);
    await rejectsWith(add('viewer'), 7, /Permission denied to grant role viewer on folder f-vdi/);
    await rejectsWith(add('admin', 2), 7, /Permission denied to revoke role admin/);
    await rejectsWith(sdk.folders.setAccessBindings({ resourceId: 'f-vdi', accessBindings: [] }), 7, /revoke role/);
    await rejectsWith(add('vdi.viewer').then(() => sdk.folders.updateAccessBindings({
      resourceId: 'f-other', accessBindingDeltas: [{ action: 1, accessBinding: binding('vdi.viewer', helper.id) }],
    })), 7, /Permission denied to folder f-other/);
    sdk.close();
  });
});
