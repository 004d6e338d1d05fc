/**
 * Folder roles against the desktop image, Compute image, operation and access-binding RPCs,
 * through the official SDK's generated clients: for every role (none, viewer, editor, admin,
 * vdi.viewer, vdi.editor on one folder) every call ends as docs/decisions.md point 6 says:
 * PERMISSION_DENIED for a folder the caller cannot use, NOT_FOUND for what does not exist,
 * system images readable by everyone, operations visible with their resource's folder.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../harness/server.js';
import { cloudDesktop, compute, sdkFor, waitDone, type SdkClients } from '../harness/sdk.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { codeOf, failureOf } from '../harness/assert-error.js';
import { createIdentity, type Identity } from '../harness/iam.js';

const OK = 0, NF = 5, PD = 7, FP = 9;
const WHO = ['none', 'viewer', 'editor', 'admin', 'vdi.viewer', 'vdi.editor'] as const;
type Who = (typeof WHO)[number];
const FOLDER = 'f-roles';
const SYSTEM = 'standard-images';

let server: RunningServer;
let admin: SdkClients;
let src: ImageSource;
const ids = {} as Record<Who, Identity>;
const sdk = {} as Record<Who, SdkClients>;
const r = {} as Record<'sys' | 'own' | 'private' | 'img' | 'foreign' | 'opOwn' | 'opOther' | 'target', string>;

async function computeImage(folderId: string, name: string): Promise<string> {
  const op = await waitDone(admin, await admin.images.create({ folderId, name, uri: src.url('/qcow2?virtual=1073741824') }));
  return compute.image.Image.decode(op.response.value).id;
}

async function desktopCopy(folderId: string, imageId: string): Promise<{ id: string; op: string }> {
  const op = await waitDone(admin, await admin.desktopImages.copy({ folderId, name: 'img', imageId }));
  return { id: cloudDesktop.desktopImage.DesktopImage.decode(op.response.value).id, op: op.id };
}

before(async () => {
  server = await startServer();
  admin = sdkFor(server);
  src = await startImageSource();
  r.sys = await computeImage(SYSTEM, 'sys');
  r.own = await computeImage(FOLDER, 'own');
  r.private = await computeImage('f-src', 'private');
  const own = await desktopCopy(FOLDER, r.sys);
  const foreign = await desktopCopy('f-other', r.sys);
  Object.assign(r, { img: own.id, opOwn: own.op, foreign: foreign.id, opOther: foreign.op });
  for (const who of WHO) {
    ids[who] = await createIdentity(admin, { name: `who-${who.replace('.', '-')}`, grants: who === 'none' ? [] : [[FOLDER, who]] });
    sdk[who] = sdkFor(server, ids[who].token);
  }
  r.target = (await createIdentity(admin, { name: 'target' })).serviceAccountId;
});

after(async () => {
  for (const s of Object.values(sdk)) s.close();
  admin.close();
  await src.close();
  await server.cleanup();
});


/** Expected code per role; `all` fills the roles not named. */
function expect(e: Partial<Record<Who | 'all', number>>): Record<Who, number> {
  return Object.fromEntries(WHO.map((w) => [w, e[w] ?? e.all ?? OK])) as Record<Who, number>;
}
const readers = (code: number) => expect({ all: code, none: PD });
const editors = (code: number) => expect({ all: PD, editor: code, admin: code, 'vdi.editor': code });

const MISSING_IMAGE = 'e3vmissing0000000000';
const CASES: [string, (c: SdkClients) => Promise<unknown>, Record<Who, number>][] = [
  ['List desktop images of the folder', (c) => c.desktopImages.list({ folderId: FOLDER }), readers(OK)],
  ['Get a desktop image of the folder', (c) => c.desktopImages.get({ imageId: r.img }), readers(OK)],
  ['Get a desktop image that does not exist', (c) => c.desktopImages.get({ imageId: MISSING_IMAGE }), expect({ all: NF })],
  ['List desktop images of another folder', (c) => c.desktopImages.list({ folderId: 'f-other' }), expect({ all: PD })],
  ['Get a desktop image of another folder', (c) => c.desktopImages.get({ imageId: r.foreign }), expect({ all: PD })],
  ['Update a desktop image', (c) => c.desktopImages.update({ imageId: r.img, updateMask: { paths: ['labels'] }, labels: { k: 'v' } }), editors(OK)],
  ['Delete a desktop image that does not exist', (c) => c.desktopImages.delete({ imageId: MISSING_IMAGE }), expect({ all: NF })],
  ['Update a desktop image of another folder', (c) => c.desktopImages.update({ imageId: r.foreign, updateMask: { paths: ['labels'] } }), expect({ all: PD })],
  ['Copy a system image into the folder', (c) => c.desktopImages.copy({ folderId: FOLDER, name: 'c', imageId: r.sys }), editors(OK)],
  ['Copy a Compute image of the folder', (c) => c.desktopImages.copy({ folderId: FOLDER, name: 'c', imageId: r.own }),
    expect({ all: PD, editor: OK, admin: OK })],
  ['Copy a Compute image of an unreadable folder', (c) => c.desktopImages.copy({ folderId: FOLDER, name: 'c', imageId: r.private }), expect({ all: PD })],
  ['Copy a Compute image that does not exist', (c) => c.desktopImages.copy({ folderId: FOLDER, name: 'c', imageId: 'fd8missing0000000000' }), editors(NF)],
  ['Copy into another folder', (c) => c.desktopImages.copy({ folderId: 'f-other', name: 'c', imageId: r.sys }), expect({ all: PD })],
  // The desktop is checked first: one that does not exist is NOT_FOUND for everyone (decisions point 6).
  // The image folder is checked first: without write there, PERMISSION_DENIED (as before desktops existed).
  ['CopyFromDesktop of a desktop that does not exist', (c) => c.desktopImages.copyFromDesktop({ folderId: FOLDER, desktopId: 'e3vdesktop0000000000' }), editors(NF)],
  ['List Compute images of the folder', (c) => c.images.list({ folderId: FOLDER }), expect({ all: OK, none: PD, 'vdi.viewer': PD, 'vdi.editor': PD })],
  ['Get a system Compute image', (c) => c.images.get({ imageId: r.sys }), expect({ all: OK })],
  ['List system Compute images', (c) => c.images.list({ folderId: SYSTEM }), expect({ all: OK })],
  ['Get a Compute image of an unreadable folder', (c) => c.images.get({ imageId: r.private }), expect({ all: PD })],
  ['Delete a system Compute image', (c) => c.images.delete({ imageId: r.sys }), expect({ all: PD })],
  ['Update a Compute image of the folder', (c) => c.images.update({ imageId: r.own, updateMask: { paths: ['labels'] }, labels: { k: 'v' } }),
    expect({ all: PD, editor: OK, admin: OK })],
  ['Get an operation of the folder', (c) => c.operations.get({ operationId: r.opOwn }), readers(OK)],
  ['Get an operation of another folder', (c) => c.operations.get({ operationId: r.opOther }), expect({ all: PD })],
  ['Get an operation that does not exist', (c) => c.operations.get({ operationId: 'e3vmissingoperation0' }), expect({ all: NF })],
  ['Cancel a finished operation of the folder', (c) => c.operations.cancel({ operationId: r.opOwn }), editors(FP)],
  ['List the access bindings of the folder', (c) => c.folders.listAccessBindings({ resourceId: FOLDER }),
    expect({ all: PD, viewer: OK, editor: OK, admin: OK })],
  ['Grant vdi.viewer on the folder', (c) => c.folders.updateAccessBindings({
    resourceId: FOLDER,
    accessBindingDeltas: [{ action: 1, accessBinding: { roleId: 'vdi.viewer', subject: { id: r.target, type: 'serviceAccount' } } }],
  }), expect({ all: PD, admin: OK })],
  ['List the role catalogue', (c) => c.roles.list({}), expect({ all: OK })],
];

describe('folder roles', () => {
  for (const [what, call, expected] of CASES) {
    it(what, async () => {
      const got = Object.fromEntries(await Promise.all(WHO.map(async (w) => [w, await codeOf(call(sdk[w]))])));
      assert.deepEqual(got, expected);
    });
  }

  it('sets Operation.created_by to the caller', async () => {
    const op = await sdk.editor.desktopImages.update({ imageId: r.img, updateMask: { paths: ['description'] }, description: 'by editor' });
    assert.equal(op.createdBy, ids.editor.serviceAccountId);
    const own = await admin.operations.get({ operationId: r.opOwn });
    assert.equal(own.createdBy, 'bootstrap');
  });

  it('names the folder or resource in PERMISSION_DENIED, never more', async () => {
    const list = failureOf(await sdk.viewer.desktopImages.list({ folderId: 'f-other' }).catch((e: unknown) => e));
    assert.equal(list.details, 'Permission denied to folder f-other');
    const get = failureOf(await sdk.viewer.desktopImages.get({ imageId: r.foreign }).catch((e: unknown) => e));
    assert.equal(get.details, `Permission denied to desktop image ${r.foreign}`);
  });
});
