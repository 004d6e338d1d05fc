/**
 * DesktopGroupService and DesktopService through the official SDK's generated clients: every
 * RPC, its main errors (never INTERNAL), the state machine's refusals, idempotency of Create,
 * and an image in use by a group (docs/decisions.md points 15–19).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../harness/server.js';
import { cloudDesktop, sdkFor, waitDone, type SdkClients } from '../harness/sdk.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { rejectsWith } from '../harness/assert-error.js';
import { withMetadata } from '../audit/audit-files.js';
import { restFor } from '../rest/rest-client.js';
import { internalErrors, desktopKit, Desktop, DesktopGroup, DesktopStatus, IMAGE_SIZE, user, type DesktopKit } from '../harness/desktops.js';

const INVALID = 3, NOT_FOUND = 5, EXISTS = 6, PRECONDITION = 9;
const FOLDER = 'f-desk';
const NO_DESKTOP = 'e3vnodesktop00000000';
const NO_GROUP = 'e3vnogroup0000000000';

let server: RunningServer;
let sdk: SdkClients;
let src: ImageSource;
let kit: DesktopKit;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let group: any;

before(async () => {
  server = await startServer({ args: ['--desktop-transition-ms', '20', '--desktop-rdp-host', 'rdp.example.test'] });
  sdk = sdkFor(server);
  src = await startImageSource();
  kit = await desktopKit(sdk, src, FOLDER);
  group = await kit.group({
    name: 'main', networkInterfaceSpec: { networkId: 'net-1', subnetIds: ['subnet-a', 'subnet-b'] },
    groupConfig: { members: [{ id: 'alice', type: 'serviceAccount' }, { id: 'bob', type: 'serviceAccount' }] },
  });
});

after(async () => {
  sdk.close();
  await src.close();
  await server.cleanup();
});

describe('DesktopGroupService', () => {
  it('Create fills the defaults of decisions point 15 and Get/List answer the same group', async () => {
    const op = await sdk.desktopGroups.create({ folderId: FOLDER, desktopImageId: kit.imageId, name: 'defaults', labels: { env: 'dev' } });
    assert.equal(op.description, 'Create desktop group');
    const groupId = cloudDesktop.desktopGroupService.CreateDesktopGroupMetadata.decode(op.metadata.value).desktopGroupId;
    const done = await waitDone(sdk, op);
    const g = DesktopGroup.decode(done.response.value);
    assert.equal(g.id, groupId);
    assert.deepEqual(g.resourcesSpec, { memory: 4 * 1024 ** 3, cores: 2, coreFraction: 100 });
    assert.deepEqual(g.bootDiskSpec, { type: cloudDesktop.disk.DiskSpec_Type.SSD, size: IMAGE_SIZE });
    assert.equal(g.dataDiskSpec, undefined);
    assert.deepEqual(g.manualUpdatePolicy, {});
    assert.equal(g.groupConfig.desktopType, cloudDesktop.desktopGroup.DesktopGroupConfiguration_DesktopType.PERSISTENT);
    assert.deepEqual(await sdk.desktopGroups.get({ desktopGroupId: g.id }), g);
    assert.deepEqual((await sdk.desktopGroups.list({ folderId: FOLDER, filter: 'name = "defaults"' })).desktopGroups, [g]);
  });

  it('Create refuses bad specs naming the field, an unknown image, and a taken name', async () => {
    const ok = { folderId: FOLDER, desktopImageId: kit.imageId, name: 'bad' };
    await rejectsWith(sdk.desktopGroups.create({ ...ok, bootDiskSpec: { type: 1, size: IMAGE_SIZE - 1 } }), INVALID, /boot_disk_spec\.size/);
    // The SDK's generated messages predate `lifetime`: it goes over REST, as JSON.
    const rest = restFor(server);
    for (const [lifetime, field] of [[{ cronStart: '61 * * * *' }, 'cron_start'], [{ cronStop: '0 19 * * 1-5', timeZone: 'Nowhere/City' }, 'time_zone']] as const) {
      const res = await rest.post('/cloud-desktop/v1/desktopGroups', { ...ok, groupConfig: { lifetime } });
      assert.equal(res.status, 400, res.text);
      assert.match(res.json.message, new RegExp(`^Request validation error: group_config\\.lifetime\\.${field}: (Invalid cron|Unknown time zone)`));
    }
    const scheduled = await rest.post('/cloud-desktop/v1/desktopGroups', { ...ok, name: 'scheduled', groupConfig: { lifetime: { cronStart: '0 8 * * 1-5', cronStop: '0 19 * * 1-5', timeZone: 'Europe/Moscow' } } });
    assert.equal(scheduled.status, 200, scheduled.text);
    const made = await rest.waitDone(scheduled.json);
    assert.deepEqual(made.response.groupConfig.lifetime, { cronStart: '0 8 * * 1-5', cronStop: '0 19 * * 1-5', timeZone: 'Europe/Moscow' });
    await rejectsWith(sdk.desktopGroups.create({ ...ok, groupConfig: { minReadyDesktops: 3, maxDesktopsAmount: 2 } }), INVALID, /group_config\.min_ready_desktops/);
    await rejectsWith(sdk.desktopGroups.create({ ...ok, desktopImageId: 'e3vnoimage0000000000' }), NOT_FOUND, /Desktop image e3vnoimage0000000000 not found/);
    await rejectsWith(sdk.desktopGroups.create({ ...ok, name: 'main' }), EXISTS, /Desktop group with name main already exists in folder f-desk/);
    await rejectsWith(sdk.desktopGroups.create({ ...ok, folderId: '' }), INVALID, /folder_id: Field is required/);
  });

  it('Get, ListDesktops, ListOperations, Update and Delete of an unknown group are NOT_FOUND naming it', async () => {
    const nf = new RegExp(`Desktop group ${NO_GROUP} not found`);
    await rejectsWith(sdk.desktopGroups.get({ desktopGroupId: NO_GROUP }), NOT_FOUND, nf);
    await rejectsWith(sdk.desktopGroups.listDesktops({ desktopGroupId: NO_GROUP }), NOT_FOUND, nf);
    await rejectsWith(sdk.desktopGroups.listOperations({ desktopGroupId: NO_GROUP }), NOT_FOUND, nf);
    await rejectsWith(sdk.desktopGroups.update({ desktopGroupId: NO_GROUP, updateMask: { paths: ['name'] }, name: 'zz' }), NOT_FOUND, nf);
    await rejectsWith(sdk.desktopGroups.delete({ desktopGroupId: NO_GROUP }), NOT_FOUND, nf);
    await rejectsWith(sdk.desktopGroups.listAccessBindings({ resourceId: NO_GROUP }), NOT_FOUND, nf);
  });

  it('Update changes what the mask names, keeps names unique, and Delete removes the desktops with the group', async () => {
    const g = await kit.group({ name: 'to-change' });
    const d = await kit.desktop(g.id);
    const op = await waitDone(sdk, await sdk.desktopGroups.update({ desktopGroupId: g.id, updateMask: { paths: ['description', 'labels'] }, description: 'changed', labels: { a: 'b' } }));
    assert.equal(op.error, undefined);
    const got = await sdk.desktopGroups.get({ desktopGroupId: g.id });
    assert.deepEqual([got.description, got.labels, got.name], ['changed', { a: 'b' }, 'to-change']);
    await rejectsWith(sdk.desktopGroups.update({ desktopGroupId: g.id, updateMask: { paths: ['name'] }, name: 'main' }), EXISTS, /main already exists/);
    await rejectsWith(sdk.desktopGroups.update({ desktopGroupId: g.id, updateMask: { paths: ['status'] } }), INVALID, /update_mask/);
    const del = await waitDone(sdk, await sdk.desktopGroups.delete({ desktopGroupId: g.id }));
    assert.equal(del.error, undefined, del.error?.message);
    await rejectsWith(sdk.desktopGroups.get({ desktopGroupId: g.id }), NOT_FOUND);
    await rejectsWith(sdk.desktops.get({ desktopId: d.id }), NOT_FOUND, new RegExp(`Desktop ${d.id} not found`));
  });

  it('a desktop image that a group names cannot be deleted; once no group names it, it can', async () => {
    const image = await kit.image('in-use', 1024 * 1024);
    const g = await kit.group({ name: 'user-of-image', desktopImageId: image.id });
    await rejectsWith(sdk.desktopImages.delete({ imageId: image.id }), PRECONDITION, new RegExp(`^Desktop image ${image.id} is used by desktop group ${g.id}$`));
    assert.equal((await waitDone(sdk, await sdk.desktopGroups.delete({ desktopGroupId: g.id }))).error, undefined);
    assert.equal((await waitDone(sdk, await sdk.desktopImages.delete({ imageId: image.id }))).error, undefined);
  });
});

describe('DesktopService', () => {
  it('Create places the desktop on the group subnet asked for, with the group resources', async () => {
    const op = await sdk.desktops.create({ desktopGroupId: group.id, subnetId: 'subnet-b', users: [user('alice')], name: 'alice-desk' });
    assert.equal(op.description, 'Create desktop');
    const d = Desktop.decode((await waitDone(sdk, op)).response.value);
    assert.equal(d.id, kit.desktopIdOf(op));
    assert.equal(d.status, DesktopStatus.ACTIVE);
    assert.deepEqual(d.networkInterfaces, [{ networkId: 'net-1', subnetId: 'subnet-b' }]);
    assert.deepEqual(d.resources, { memory: 4 * 1024 ** 3, cores: 2, coreFraction: 100 });
    assert.deepEqual([d.folderId, d.desktopGroupId, d.users], [FOLDER, group.id, [user('alice')]]);
    const first = await kit.desktop(group.id, ['bob']);
    assert.deepEqual(first.networkInterfaces, [{ networkId: 'net-1', subnetId: 'subnet-a' }], 'no subnet asked: the first');
    assert.deepEqual(await sdk.desktops.get({ desktopId: d.id }), d);
  });

  it('Create refuses users outside the members, a foreign subnet and an unknown group', async () => {
    await rejectsWith(sdk.desktops.create({ desktopGroupId: group.id, users: [user('alice'), user('mallory')] }), INVALID,
      /users\[1\]\.subject_id: Subject mallory is not a member of desktop group/);
    await rejectsWith(sdk.desktops.create({ desktopGroupId: group.id, subnetId: 'subnet-z', users: [user('alice')] }), INVALID, /subnet_id: Subnet subnet-z/);
    await rejectsWith(sdk.desktops.create({ desktopGroupId: NO_GROUP, users: [user('alice')] }), NOT_FOUND, new RegExp(`Desktop group ${NO_GROUP} not found`));
    await rejectsWith(sdk.desktops.create({ desktopGroupId: group.id, users: [] }), INVALID, /users/);
  });

  it('every desktop RPC on an unknown id is NOT_FOUND naming the desktop', async () => {
    const nf = new RegExp(`Desktop ${NO_DESKTOP} not found`);
    for (const m of ['get', 'getRdpFile', 'listOperations', 'restart', 'start', 'stop', 'update', 'delete']) {
      await rejectsWith(sdk.desktops[m]({ desktopId: NO_DESKTOP }), NOT_FOUND, nf);
    }
    await rejectsWith(sdk.desktops.updateProperties({ desktopId: NO_DESKTOP, updateMask: { paths: ['name'] }, name: 'zz' }), NOT_FOUND, nf);
    await rejectsWith(sdk.desktops.resetPassword({ desktopId: NO_DESKTOP, user: user('alice') }), NOT_FOUND, nf);
    await rejectsWith(sdk.desktopImages.copyFromDesktop({ desktopId: NO_DESKTOP }), NOT_FOUND, nf);
  });

  it('walks the state machine and refuses every other transition with `Desktop <id> is <STATUS>`', async () => {
    const d = await kit.desktop(group.id, ['alice']);
    const is = (s: string) => new RegExp(`^Desktop ${d.id} is ${s}$`);
    await rejectsWith(sdk.desktops.start({ desktopId: d.id }), PRECONDITION, is('ACTIVE'));
    await rejectsWith(sdk.desktopImages.copyFromDesktop({ desktopId: d.id }), PRECONDITION, new RegExp(`Desktop ${d.id} must be stopped`));
    assert.equal((await kit.power('restart', d.id)).status, DesktopStatus.ACTIVE);
    const stopping = await sdk.desktops.stop({ desktopId: d.id });
    assert.equal(stopping.description, 'Stop desktop');
    assert.equal(Desktop.decode((await waitDone(sdk, stopping)).response.value).status, DesktopStatus.STOPPED);
    await rejectsWith(sdk.desktops.stop({ desktopId: d.id }), PRECONDITION, is('STOPPED'));
    await rejectsWith(sdk.desktops.restart({ desktopId: d.id }), PRECONDITION, is('STOPPED'));
    await rejectsWith(sdk.desktops.getRdpFile({ desktopId: d.id }), PRECONDITION, is('STOPPED'));
    await rejectsWith(sdk.desktops.resetPassword({ desktopId: d.id, user: user('alice') }), PRECONDITION, is('STOPPED'));
    assert.equal((await kit.power('update', d.id)).status, DesktopStatus.STOPPED, 'Update returns to the state before');
    assert.equal((await kit.power('start', d.id)).status, DesktopStatus.ACTIVE);
    assert.equal((await waitDone(sdk, await sdk.desktops.delete({ desktopId: d.id }))).error, undefined);
    await rejectsWith(sdk.desktops.get({ desktopId: d.id }), NOT_FOUND);
  });

  it('UpdateProperties changes name, labels and description only', async () => {
    const d = await kit.desktop(group.id, ['bob']);
    const op = await waitDone(sdk, await sdk.desktops.updateProperties({ desktopId: d.id, updateMask: { paths: ['name', 'labels'] }, name: 'renamed', labels: { x: 'y' }, description: 'ignored' }));
    const got = Desktop.decode(op.response.value);
    assert.deepEqual([got.name, got.labels, got.description, got.users], ['renamed', { x: 'y' }, '', [user('bob')]]);
    await rejectsWith(sdk.desktops.updateProperties({ desktopId: d.id, updateMask: { paths: ['users'] } }), INVALID, /update_mask/);
  });

  it('GetRdpFile answers a standard .rdp for the runtime address; ResetPassword a fresh password for one of the users', async () => {
    const d = await kit.desktop(group.id, ['alice', 'bob']);
    const rdp = await sdk.desktops.getRdpFile({ desktopId: d.id, user: user('bob') });
    assert.equal(rdp.headers['Content-Type'], 'application/x-rdp');
    assert.match(rdp.headers['Content-Disposition'], /^attachment; filename=".+\.rdp"$/);
    assert.match(rdp.content, /^full address:s:rdp\.example\.test:\d+\r\n/);
    assert.match(rdp.content, /\r\nusername:s:bob\r\n/);
    await rejectsWith(sdk.desktops.getRdpFile({ desktopId: d.id, user: user('carol') }), INVALID, /user\.subject_id: Subject carol is not a user/);
    const a = await sdk.desktops.resetPassword({ desktopId: d.id, user: user('alice') });
    const b = await sdk.desktops.resetPassword({ desktopId: d.id, user: user('alice') });
    assert.ok(a.password.length >= 16 && b.password.length >= 16);
    assert.notEqual(a.password, b.password);
    await rejectsWith(sdk.desktops.resetPassword({ desktopId: d.id, user: user('carol') }), INVALID, /user\.subject_id/);
    await rejectsWith(sdk.desktops.resetPassword({ desktopId: d.id }), INVALID, /user: Field is required/);
  });

  it('more desktops than max_desktops_amount is FAILED_PRECONDITION at request time', async () => {
    const g = await kit.group({ groupConfig: { maxDesktopsAmount: 1 } });
    await kit.desktop(g.id);
    await rejectsWith(sdk.desktops.create({ desktopGroupId: g.id, users: [user('x')] }), PRECONDITION, /already has its maximum of 1 desktops/);
  });

  it('an Idempotency-Key replay of Create returns the same operation and makes one desktop', async () => {
    const g = await kit.group();
    const key = '6f9619ff-8b86-d011-b42d-00c04fc964ff';
    const req = { desktopGroupId: g.id, users: [user('idem')], name: 'idem' };
    const first = await sdk.desktops.create(req, withMetadata(server.token, { 'idempotency-key': key }));
    const again = await sdk.desktops.create(req, withMetadata(server.token, { 'idempotency-key': key }));
    assert.equal(again.id, first.id);
    await waitDone(sdk, first);
    const third = await sdk.desktops.create(req, withMetadata(server.token, { 'idempotency-key': key }));
    assert.equal(third.id, first.id);
    assert.equal((await sdk.desktopGroups.listDesktops({ desktopGroupId: g.id })).desktops.length, 1);
  });
});

describe('no INTERNAL', () => {
  it('answered no call of this file INTERNAL or UNKNOWN', () => {
    assert.ok(server.logs.some((l) => l['msg'] === 'rpc'), 'the server logs its calls');
    assert.deepEqual(internalErrors(server.logs), []);
  });
});
