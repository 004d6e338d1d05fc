/**
 * The desktop roles of docs/decisions.md point 21, walked through the official SDK: a service
 * account holding each of vdi.desktopGroups.user, vdi.desktopGroups.maintainer, vdi.viewer,
 * vdi.editor and vdi.admin — bound on a desktop group, and separately on its folder — against
 * the group's and its desktops' RPCs. Calls that would change the fixtures are aimed where an
 * authorized caller gets past authorization and then a precondition error (Start of an ACTIVE
 * desktop), so each answer shows the authorization decision alone.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../harness/server.js';
import { sdkFor, waitDone, type SdkClients } from '../harness/sdk.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { codeOf, failureOf } from '../harness/assert-error.js';
import { createIdentity, type Identity } from '../harness/iam.js';
import { internalErrors, desktopKit, user, type DesktopKit } from '../harness/desktops.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Msg = any;
const OK = 0, INVALID = 3, PD = 7, FP = 9;
const ROLES = ['vdi.desktopGroups.user', 'vdi.desktopGroups.maintainer', 'vdi.viewer', 'vdi.editor', 'vdi.admin'] as const;
type Role = (typeof ROLES)[number];
const FOLDER = 'f-droles';

let server: RunningServer;
let admin: SdkClients;
let src: ImageSource;
let kit: DesktopKit;
const r = {} as Record<'group' | 'own' | 'other' | 'stopped', Msg>;
const as = { group: {}, folder: {} } as Record<'group' | 'folder', Record<Role, { id: Identity; sdk: SdkClients }>>;

before(async () => {
  server = await startServer({ args: ['--desktop-transition-ms', '20'] });
  admin = sdkFor(server);
  src = await startImageSource();
  kit = await desktopKit(admin, src, FOLDER);
  r.group = await kit.group({ name: 'walk' });
  for (const where of ['group', 'folder'] as const) {
    for (const role of ROLES) {
      const id = await createIdentity(admin, { name: `${where}-${role.replace(/\./g, '-').toLowerCase()}`, grants: where === 'folder' ? [[FOLDER, role]] : [] });
      as[where][role] = { id, sdk: sdkFor(server, id.token) };
    }
  }
  const bindings = ROLES.map((role) => ({ action: 1, accessBinding: { roleId: role, subject: { id: as.group[role].id.serviceAccountId, type: 'serviceAccount' } } }));
  const op = await waitDone(admin, await admin.desktopGroups.updateAccessBindings({ resourceId: r.group.id, accessBindingDeltas: bindings }));
  assert.equal(op.error, undefined, op.error?.message);
  const users = [as.group['vdi.desktopGroups.user'].id.serviceAccountId, as.folder['vdi.desktopGroups.user'].id.serviceAccountId];
  r.own = await kit.desktop(r.group.id, users, { name: 'own' });
  r.other = await kit.desktop(r.group.id, ['someone'], { name: 'other' });
  r.stopped = await kit.desktop(r.group.id, users, { name: 'stopped' });
  await kit.power('stop', r.stopped.id);
});

after(async () => {
  for (const where of Object.values(as)) for (const c of Object.values(where)) c.sdk.close();
  admin.close();
  await src.close();
  await server.cleanup();
});


/** Expected codes for user, maintainer, viewer, editor, admin. */
type Row = [string, (c: SdkClients, role: Role) => Promise<unknown>, [number, number, number, number, number]];
const ownUser = (where: 'group' | 'folder') => user(as[where]['vdi.desktopGroups.user'].id.serviceAccountId);

const rows = (where: 'group' | 'folder'): Row[] => [
  ['Get the group', (c) => c.desktopGroups.get({ desktopGroupId: r.group.id }), [PD, PD, OK, OK, OK]],
  ['List the folder\'s groups (group roles do not reach the folder)', (c) => c.desktopGroups.list({ folderId: FOLDER }),
    where === 'group' ? [PD, PD, PD, PD, PD] : [PD, PD, OK, OK, OK]],
  ['Get an own desktop', (c) => c.desktops.get({ desktopId: r.own.id }), [OK, PD, OK, OK, OK]],
  ['Get another user\'s desktop', (c) => c.desktops.get({ desktopId: r.other.id }), [PD, PD, OK, OK, OK]],
  ['Start an own ACTIVE desktop', (c) => c.desktops.start({ desktopId: r.own.id }), [FP, FP, PD, FP, FP]],
  ['Start another user\'s ACTIVE desktop', (c) => c.desktops.start({ desktopId: r.other.id }), [PD, FP, PD, FP, FP]],
  ['Stop an own STOPPED desktop', (c) => c.desktops.stop({ desktopId: r.stopped.id }), [FP, FP, PD, FP, FP]],
  ['Restart an own STOPPED desktop', (c) => c.desktops.restart({ desktopId: r.stopped.id }), [FP, FP, PD, FP, FP]],
  ['GetRdpFile of an own desktop', (c) => c.desktops.getRdpFile({ desktopId: r.own.id }), [OK, OK, PD, OK, OK]],
  ['GetRdpFile of another user\'s desktop', (c) => c.desktops.getRdpFile({ desktopId: r.other.id }), [PD, OK, PD, OK, OK]],
  ['ResetPassword on an own desktop', (c) => c.desktops.resetPassword({ desktopId: r.own.id, user: ownUser(where) }), [OK, OK, PD, OK, OK]],
  ['ResetPassword of the other user of a shared own desktop', (c) => c.desktops.resetPassword({ desktopId: r.own.id, user: ownUser(where === 'group' ? 'folder' : 'group') }), [PD, OK, PD, OK, OK]],
  ['ResetPassword on another user\'s desktop', (c) => c.desktops.resetPassword({ desktopId: r.other.id, user: user('someone') }), [PD, OK, PD, OK, OK]],
  ['Create a desktop (a bad subnet: refused after authorization)', (c) => c.desktops.create({ desktopGroupId: r.group.id, subnetId: 'nope', users: [user('x')] }), [PD, PD, PD, INVALID, INVALID]],
  ['Delete a desktop', async (c, role) => c.desktops.delete({ desktopId: role === 'vdi.editor' || role === 'vdi.admin' ? (await kit.desktop(r.group.id)).id : r.other.id }), [PD, PD, PD, OK, OK]],
  ['SetAccessBindings of the group (to what it is)', async (c) => {
    const current = await admin.desktopGroups.listAccessBindings({ resourceId: r.group.id });
    return c.desktopGroups.setAccessBindings({ resourceId: r.group.id, accessBindings: current.accessBindings });
  }, [PD, PD, PD, PD, OK]],
];

for (const where of ['group', 'folder'] as const) {
  describe(`desktop roles bound on the ${where}`, () => {
    for (const [what, call, expected] of rows(where)) {
      it(what, async () => {
        const got: Record<string, number> = {};
        for (const role of ROLES) got[role] = await codeOf(call(as[where][role].sdk, role));
        assert.deepEqual(got, Object.fromEntries(ROLES.map((role, i) => [role, expected[i]])));
      });
    }

    it('whoever starts or stops a desktop may follow its operation; group readers read the desktops\' operations', async () => {
      const got: Record<string, number> = {};
      const mine = await kit.desktop(r.group.id, [ownUser(where).subjectId], { name: `mine-${where}` });
      for (const role of ['vdi.desktopGroups.user', 'vdi.desktopGroups.maintainer'] as const) {
        const op = await as[where][role].sdk.desktops.restart({ desktopId: mine.id });
        got[`${role} Get`] = await codeOf(as[where][role].sdk.operations.get({ operationId: op.id }));
        assert.equal((await waitDone(admin, op)).error, undefined);
      }
      const [opOfOther] = (await admin.desktops.listOperations({ desktopId: r.other.id })).operations;
      for (const role of ROLES) got[`${role} Get of another's`] = await codeOf(as[where][role].sdk.operations.get({ operationId: opOfOther.id }));
      assert.deepEqual(got, {
        'vdi.desktopGroups.user Get': OK, 'vdi.desktopGroups.maintainer Get': OK,
        'vdi.desktopGroups.user Get of another\'s': PD, 'vdi.desktopGroups.maintainer Get of another\'s': PD,
        'vdi.viewer Get of another\'s': OK, 'vdi.editor Get of another\'s': OK, 'vdi.admin Get of another\'s': OK,
      });
    });

    it('ListDesktops: the user sees only its own desktops, readers see all, the maintainer sees none', async () => {
      const names = async (role: Role) => {
        try {
          return (await as[where][role].sdk.desktopGroups.listDesktops({ desktopGroupId: r.group.id, orderBy: 'name' })).desktops.map((d: Msg) => d.name).filter((n: string) => ['own', 'other', 'stopped'].includes(n));
        } catch (err) {
          return failureOf(err).code;
        }
      };
      assert.deepEqual(await names('vdi.desktopGroups.user'), ['own', 'stopped']);
      assert.deepEqual(await names('vdi.desktopGroups.maintainer'), []);
      for (const role of ['vdi.viewer', 'vdi.editor', 'vdi.admin'] as const) assert.deepEqual(await names(role), ['other', 'own', 'stopped'], role);
    });

    it('DesktopService.List of the folder: the same for folder roles; group roles do not reach the folder', async () => {
      const names = async (role: Role) => {
        try {
          return (await as[where][role].sdk.desktops.list({ folderId: FOLDER, orderBy: 'name' })).desktops.map((d: Msg) => d.name).filter((n: string) => ['own', 'other', 'stopped'].includes(n));
        } catch (err) {
          return failureOf(err).code;
        }
      };
      if (where === 'group') {
        for (const role of ROLES) assert.equal(await names(role), PD, role);
      } else {
        assert.deepEqual(await names('vdi.desktopGroups.user'), ['own', 'stopped']);
        assert.deepEqual(await names('vdi.desktopGroups.maintainer'), []);
        for (const role of ['vdi.viewer', 'vdi.editor', 'vdi.admin'] as const) assert.deepEqual(await names(role), ['other', 'own', 'stopped'], role);
      }
    });
  });
}

describe('no INTERNAL', () => {
  it('answered no call of this file INTERNAL or UNKNOWN', () => {
    assert.ok(server.logs.some((l) => l['msg'] === 'rpc'), 'the server logs its calls');
    assert.deepEqual(internalErrors(server.logs), []);
  });
});
