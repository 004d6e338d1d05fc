/**
 * Expected REST outcomes of DesktopService and DesktopGroupService, for routes.test.ts (the
 * pattern is route-cases.ts). Requests that change state make their own groups and desktops.
 *
 *   [`${DS}/Get`]: (fx) => ({ request: { desktopId: fx.desktop.id }, status: 200, check: ... })
 */
import assert from 'node:assert/strict';
import { operation, T, TIME, unique, type Expected, type Fixtures } from './route-cases.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const DS = '/yandex.cloud.clouddesktop.v1.api.DesktopService';
const DG = '/yandex.cloud.clouddesktop.v1.api.DesktopGroupService';
const M = 'yandex.cloud.clouddesktop.v1.api.';

const desktopOp = (fx: Fixtures, description: string, metadata: string, then?: (d: Json) => void) =>
  operation(fx, description, M + metadata, M + 'Desktop', (d) => then?.(d));
const groupOp = (fx: Fixtures, description: string, metadata: string, then?: (g: Json) => void) =>
  operation(fx, description, M + metadata, M + 'DesktopGroup', (g) => then?.(g));

export const desktopOutcomes: Record<string, (fx: Fixtures) => Promise<Expected> | Expected> = {
  [`${DS}/Get`]: (fx) => ({
    request: { desktopId: fx.desktop.id },
    status: 200,
    check: (b) => {
      assert.deepEqual(b, fx.desktop);
      assert.equal(b.status, 'ACTIVE');
      assert.equal(b.desktopGroupId, fx.desktopGroup.id);
      assert.match(b.createdAt, TIME);
      assert.match(b.resources.memory, /^\d+$/, 'int64 as a string');
    },
  }),
  [`${DS}/GetRdpFile`]: (fx) => ({
    request: { desktopId: fx.desktop.id },
    status: 200,
    check: (b) => {
      assert.equal(b.headers['Content-Type'], 'application/x-rdp');
      assert.match(b.headers['Content-Disposition'], /^attachment; filename=".+\.rdp"$/);
      assert.match(b.content, /^full address:s:[^:\r\n]+:\d+\r\n/);
      assert.match(b.content, new RegExp(`username:s:${fx.serviceAccount.id}\\r\\n`));
    },
  }),
  [`${DS}/List`]: (fx) => ({
    request: { folderId: fx.folder, filter: `name = "${fx.desktop.name}"` },
    status: 200,
    check: (b) => assert.deepEqual(b, { desktops: [fx.desktop] }),
  }),
  [`${DS}/ListOperations`]: (fx) => ({
    request: { desktopId: fx.desktop.id, pageSize: '10' },
    status: 200,
    check: (b) => assert.ok(b.operations.some((o: Json) => o.description === 'Create desktop' && o.done), JSON.stringify(b)),
  }),
  [`${DS}/Create`]: (fx) => {
    const name = unique('desk');
    return {
      request: { desktopGroupId: fx.desktopGroup.id, name, users: [{ subjectId: fx.serviceAccount.id, subjectType: 'serviceAccount' }] },
      status: 200,
      check: desktopOp(fx, 'Create desktop', 'CreateDesktopMetadata', (d) => assert.deepEqual([d.name, d.status], [name, 'ACTIVE'])),
    };
  },
  [`${DS}/ResetPassword`]: (fx) => ({
    request: { desktopId: fx.desktop.id, user: { subjectId: fx.serviceAccount.id, subjectType: 'serviceAccount' } },
    status: 200,
    check: (b) => {
      assert.deepEqual(Object.keys(b), ['password']);
      assert.ok(b.password.length >= 16, b.password);
    },
  }),
  [`${DS}/Restart`]: async (fx) => ({
    request: { desktopId: (await fx.newDesktop()).id },
    status: 200,
    check: desktopOp(fx, 'Restart desktop', 'RestartDesktopMetadata', (d) => assert.equal(d.status, 'ACTIVE')),
  }),
  [`${DS}/Start`]: async (fx) => ({
    request: { desktopId: (await fx.newDesktop({ stopped: true })).id },
    status: 200,
    check: desktopOp(fx, 'Start desktop', 'StartDesktopMetadata', (d) => assert.equal(d.status, 'ACTIVE')),
  }),
  [`${DS}/Stop`]: async (fx) => ({
    request: { desktopId: (await fx.newDesktop()).id },
    status: 200,
    check: desktopOp(fx, 'Stop desktop', 'StopDesktopMetadata', (d) => assert.equal(d.status, 'STOPPED')),
  }),
  [`${DS}/Update`]: async (fx) => ({
    request: { desktopId: (await fx.newDesktop()).id },
    status: 200,
    check: desktopOp(fx, 'Update desktop', 'UpdateDesktopMetadata', (d) => assert.equal(d.status, 'ACTIVE')),
  }),
  [`${DS}/UpdateProperties`]: async (fx) => ({
    request: { desktopId: (await fx.newDesktop()).id, updateMask: 'name,labels', name: 'renamed-desk', labels: { k: 'v' } },
    status: 200,
    check: desktopOp(fx, 'Update desktop properties', 'UpdateDesktopPropertiesMetadata',
      (d) => assert.deepEqual([d.name, d.labels], ['renamed-desk', { k: 'v' }])),
  }),
  [`${DS}/Delete`]: async (fx) => {
    const desktop = await fx.newDesktop();
    return {
      request: { desktopId: desktop.id },
      status: 200,
      check: operation(fx, 'Delete desktop', M + 'DeleteDesktopMetadata', 'google.protobuf.Empty', async () => {
        assert.equal((await fx.rest.get(`/cloud-desktop/v1/desktops/${desktop.id}`)).status, 404);
      }),
    };
  },
  [`${DG}/Get`]: (fx) => ({
    request: { desktopGroupId: fx.desktopGroup.id },
    status: 200,
    check: (b) => {
      assert.deepEqual(b, fx.desktopGroup);
      assert.equal(b.status, 'ACTIVE');
      assert.deepEqual(b.manualUpdatePolicy, {});
      assert.match(b.bootDiskSpec.size, /^\d+$/, 'int64 as a string');
    },
  }),
  [`${DG}/List`]: (fx) => ({
    request: { folderId: fx.folder, filter: `name = "${fx.desktopGroup.name}"` },
    status: 200,
    check: (b) => assert.deepEqual(b, { desktopGroups: [fx.desktopGroup] }),
  }),
  [`${DG}/ListDesktops`]: (fx) => ({
    request: { desktopGroupId: fx.desktopGroup.id, filter: `name = "${fx.desktop.name}"` },
    status: 200,
    check: (b) => assert.deepEqual(b, { desktops: [fx.desktop] }),
  }),
  [`${DG}/ListOperations`]: (fx) => ({
    request: { desktopGroupId: fx.desktopGroup.id },
    status: 200,
    // Newest first: the fixture's SetAccessBindings came after the Create.
    check: (b) => assert.deepEqual(b.operations.map((o: Json) => [o.description, o.done]), [['Set access bindings', true], ['Create desktop group', true]]),
  }),
  [`${DG}/Create`]: (fx) => {
    const name = unique('group');
    return {
      request: { folderId: fx.folder, desktopImageId: fx.desktopImage.id, name, labels: { env: 'test' }, groupConfig: { maxDesktopsAmount: '3' } },
      status: 200,
      check: groupOp(fx, 'Create desktop group', 'CreateDesktopGroupMetadata', (g) => {
        assert.deepEqual([g.name, g.labels, g.status, g.groupConfig.maxDesktopsAmount], [name, { env: 'test' }, 'ACTIVE', '3']);
        assert.equal(g.bootDiskSpec.size, fx.desktopImage.minDiskSize);
      }),
    };
  },
  [`${DG}/Update`]: async (fx) => {
    const group = await fx.newDesktopGroup(unique('gupdate'));
    return {
      request: { desktopGroupId: group.id, updateMask: 'description', description: 'new' },
      status: 200,
      // The contract declares Empty for this one Update (wire-contract.md section 8 item 4).
      check: operation(fx, 'Update desktop group', M + 'UpdateDesktopGroupMetadata', 'google.protobuf.Empty', async () => {
        assert.equal((await fx.rest.get(`/cloud-desktop/v1/desktopGroups/${group.id}`)).json.description, 'new');
      }),
    };
  },
  [`${DG}/Delete`]: async (fx) => ({
    request: { desktopGroupId: (await fx.newDesktopGroup(unique('gdelete'))).id },
    status: 200,
    check: operation(fx, 'Delete desktop group', M + 'DeleteDesktopGroupMetadata', 'google.protobuf.Empty'),
  }),
  [`${DG}/ListAccessBindings`]: (fx) => ({
    request: { resourceId: fx.desktopGroup.id },
    status: 200,
    check: (b) => assert.deepEqual(b, { accessBindings: [{ roleId: 'vdi.desktopGroups.user', subject: { id: fx.serviceAccount.id, type: 'serviceAccount' } }] }),
  }),
  [`${DG}/SetAccessBindings`]: async (fx) => {
    const group = await fx.newDesktopGroup(unique('gset'));
    return {
      request: { resourceId: group.id, accessBindings: [{ roleId: 'vdi.viewer', subject: { id: fx.serviceAccount.id, type: 'serviceAccount' } }] },
      status: 200,
      check: operation(fx, 'Set access bindings', 'yandex.cloud.access.SetAccessBindingsMetadata', 'google.protobuf.Empty', async () => {
        const got = await fx.rest.get(`/cloud-desktop/v1/desktopGroups/${group.id}:listAccessBindings`);
        assert.deepEqual(got.json.accessBindings, [{ roleId: 'vdi.viewer', subject: { id: fx.serviceAccount.id, type: 'serviceAccount' } }]);
      }),
    };
  },
  [`${DG}/UpdateAccessBindings`]: async (fx) => ({
    request: {
      resourceId: (await fx.newDesktopGroup(unique('gupd'))).id,
      accessBindingDeltas: [{ action: 'ADD', accessBinding: { roleId: 'vdi.editor', subject: { id: fx.serviceAccount.id, type: 'serviceAccount' } } }],
    },
    status: 200,
    check: (op) => {
      assert.equal(op.metadata['@type'], T + 'yandex.cloud.access.UpdateAccessBindingsMetadata');
      return operation(fx, 'Update access bindings', 'yandex.cloud.access.UpdateAccessBindingsMetadata', 'google.protobuf.Empty')(op);
    },
  }),
};
