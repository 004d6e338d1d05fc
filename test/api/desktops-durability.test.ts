/**
 * Long desktop operations cut short, through the official SDK: Cancel of a running desktop
 * Create, CopyFromDesktop and group Create ends CANCELLED and removes what it made; a kill -9 in
 * the middle of a Stop and of a CopyFromDesktop is finished after the restart, and the desktop
 * is unlocked (docs/decisions.md points 16, 18; the crash rule of the project). The fixtures are
 * made with fast transitions, then the server restarts with slow ones so operations are caught
 * while they run.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../harness/server.js';
import { cloudDesktop, sdkFor, waitDone, type SdkClients } from '../harness/sdk.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { rejectsWith } from '../harness/assert-error.js';
import { waitFor } from '../harness/wait.js';
import { desktopKit, Desktop, DesktopGroup, DesktopStatus, GroupStatus, ImageStatus, user, type DesktopKit } from '../harness/desktops.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Msg = any;
const SLOW = ['--desktop-transition-ms', '3000'];
const CANCELLED = 1, NOT_FOUND = 5;

let server: RunningServer;
let sdk: SdkClients;
let src: ImageSource;
let kit: DesktopKit;
let group: Msg;
let busyGroup: Msg;
let autoGroup: Msg;
let reimageGroup: Msg;
let secondImage: Msg;
const desktops = {} as Record<'active' | 'stopped' | 'toCapture' | 'busy' | 'auto' | 'reimageActive' | 'reimageStopped', Msg>;

before(async () => {
  server = await startServer({ args: ['--desktop-transition-ms', '20'] });
  sdk = sdkFor(server);
  src = await startImageSource();
  kit = await desktopKit(sdk, src, 'f-durable');
  group = await kit.group({ name: 'durable' });
  desktops.active = await kit.desktop(group.id, ['a']);
  busyGroup = await kit.group({ name: 'busy' });
  desktops.busy = await kit.desktop(busyGroup.id, ['b']);
  autoGroup = await kit.group({ name: 'auto' });
  const auto = await waitDone(sdk, await sdk.desktopGroups.update({ desktopGroupId: autoGroup.id, updateMask: { paths: ['auto_update_policy'] }, autoUpdatePolicy: {} }));
  assert.equal(auto.error, undefined);
  desktops.auto = await kit.desktop(autoGroup.id, ['a']);
  await kit.power('stop', desktops.auto.id);
  reimageGroup = await kit.group({ name: 'reimage', groupConfig: { maxDesktopsAmount: 2 } });
  const reimageAuto = await waitDone(sdk, await sdk.desktopGroups.update({ desktopGroupId: reimageGroup.id, updateMask: { paths: ['auto_update_policy'] }, autoUpdatePolicy: {} }));
  assert.equal(reimageAuto.error, undefined);
  desktops.reimageActive = await kit.desktop(reimageGroup.id, ['a']);
  desktops.reimageStopped = await kit.desktop(reimageGroup.id, ['a']);
  await kit.power('stop', desktops.reimageStopped.id);
  secondImage = await kit.image('second', 1024 * 1024);
  for (const k of ['stopped', 'toCapture'] as const) {
    desktops[k] = await kit.desktop(group.id, ['a']);
    await kit.power('stop', desktops[k].id);
  }
  sdk.close();
  // kit.group/desktop/power talk to this first server only; below, `sdk` is the current one.
  server = await server.restart({ args: SLOW });
  sdk = sdkFor(server);
});

after(async () => {
  sdk.close();
  await src.close();
  await server.cleanup();
});

/** Waits for the desktop to show `status`, asking the current server. */
function until(desktopId: string, status: number): Promise<Msg> {
  return waitFor(async () => {
    const d = await sdk.desktops.get({ desktopId });
    return d.status === status && d;
  }, { what: `desktop ${desktopId} to be ${DesktopStatus[status]}` });
}

const imageIdOf = (op: Msg) => cloudDesktop.desktopImageService.CopyFromDesktopMetadata.decode(op.metadata.value).imageId;

describe('Cancel', () => {
  it('of a running desktop Create ends CANCELLED and removes the desktop', async () => {
    const op = await sdk.desktops.create({ desktopGroupId: group.id, users: [user('c')], name: 'cancelled' });
    const id = kit.desktopIdOf(op);
    assert.equal((await sdk.desktops.get({ desktopId: id })).status, DesktopStatus.CREATING);
    await sdk.operations.cancel({ operationId: op.id });
    const done = await waitDone(sdk, op);
    assert.equal(done.error?.code, CANCELLED, JSON.stringify(done.error));
    await rejectsWith(sdk.desktops.get({ desktopId: id }), NOT_FOUND, new RegExp(`Desktop ${id} not found`));
    const names = (await sdk.desktopGroups.listDesktops({ desktopGroupId: group.id })).desktops.map((d: Msg) => d.name);
    assert.ok(!names.includes('cancelled'));
  });

  it('of a running CopyFromDesktop ends CANCELLED, removes the image and frees the desktop', async () => {
    const op = await sdk.desktopImages.copyFromDesktop({ desktopId: desktops.toCapture.id, name: 'cancelled-capture' });
    const imageId = imageIdOf(op);
    assert.equal((await sdk.desktopImages.get({ imageId })).status, ImageStatus.CREATING);
    await rejectsWith(sdk.desktops.start({ desktopId: desktops.toCapture.id }), 9, /is being copied to desktop image/);
    await sdk.operations.cancel({ operationId: op.id });
    const done = await waitDone(sdk, op);
    assert.equal(done.error?.code, CANCELLED, JSON.stringify(done.error));
    await rejectsWith(sdk.desktopImages.get({ imageId }), NOT_FOUND);
    const start = await sdk.desktops.start({ desktopId: desktops.toCapture.id });
    assert.equal(start.description, 'Start desktop', 'the desktop is free again');
  });

  it('of a group Create that is still running removes the group; the group is whole otherwise', async () => {
    // The group itself is made in one step (its standby desktops follow in their own
    // operations), so the Cancel may come after the end: both outcomes must be consistent.
    const op = await sdk.desktopGroups.create({ folderId: kit.folderId, desktopImageId: kit.imageId, name: 'cancel-me' });
    const id = cloudDesktop.desktopGroupService.CreateDesktopGroupMetadata.decode(op.metadata.value).desktopGroupId;
    await sdk.operations.cancel({ operationId: op.id }).catch((err: Error) => assert.match(err.message, /FAILED_PRECONDITION/));
    const done = await waitDone(sdk, op);
    if (done.error) {
      assert.equal(done.error.code, CANCELLED);
      await rejectsWith(sdk.desktopGroups.get({ desktopGroupId: id }), NOT_FOUND);
      await rejectsWith(sdk.desktopGroups.listAccessBindings({ resourceId: id }), NOT_FOUND);
    } else {
      assert.equal(DesktopGroup.decode(done.response.value).id, id);
      assert.equal((await sdk.desktopGroups.get({ desktopGroupId: id })).name, 'cancel-me');
    }
  });
});

describe('a desktop being copied', () => {
  it('blocks re-imaging it through an AUTO group Update (decisions point 18)', async () => {
    const copy = await sdk.desktopImages.copyFromDesktop({ desktopId: desktops.auto.id, name: 'auto-capture' });
    assert.equal((await sdk.desktopImages.get({ imageId: imageIdOf(copy) })).status, ImageStatus.CREATING);
    const reimage = { desktopGroupId: autoGroup.id, updateMask: { paths: ['desktop_image_id'] }, desktopImageId: secondImage.id };
    await rejectsWith(sdk.desktopGroups.update(reimage), 9, new RegExp(`^Desktop ${desktops.auto.id} of desktop group ${autoGroup.id} is being copied to desktop image ${imageIdOf(copy)}$`));
    const renamed = await waitDone(sdk, await sdk.desktopGroups.update({ desktopGroupId: autoGroup.id, updateMask: { paths: ['description'] }, description: 'other changes go' }));
    assert.equal(renamed.error, undefined, renamed.error?.message);
    await sdk.operations.cancel({ operationId: copy.id });
    assert.equal((await waitDone(sdk, copy)).error?.code, CANCELLED);
    const update = await sdk.desktopGroups.update(reimage);
    assert.equal(update.description, 'Update desktop group', 'free again');
    // While the re-image runs the group is UPDATING, and Delete waits for it to end.
    assert.equal((await sdk.desktopGroups.get({ desktopGroupId: autoGroup.id })).status, GroupStatus.UPDATING);
    await rejectsWith(sdk.desktopGroups.delete({ desktopGroupId: autoGroup.id }), 9, new RegExp(`^Desktop group ${autoGroup.id} is UPDATING$`));
    assert.equal((await waitDone(sdk, update, 30_000)).error, undefined);
    assert.equal((await sdk.desktopGroups.get({ desktopGroupId: autoGroup.id })).status, GroupStatus.ACTIVE);
  });
});

describe('a group AUTO update', () => {
  it('shows each desktop it re-images UPDATING, as DesktopService.Update does, then the state before (decisions point 16)', async () => {
    const { reimageActive: active, reimageStopped: stopped } = desktops;
    const update = await sdk.desktopGroups.update({ desktopGroupId: reimageGroup.id, updateMask: { paths: ['desktop_image_id'] }, desktopImageId: secondImage.id });
    for (const d of [active, stopped]) assert.equal((await sdk.desktops.get({ desktopId: d.id })).status, DesktopStatus.UPDATING, `desktop ${d.id}`);
    // What an UPDATING desktop refuses under DesktopService.Update, it refuses here too.
    await rejectsWith(sdk.desktops.stop({ desktopId: active.id }), 9, new RegExp(`^Desktop ${active.id} is UPDATING$`));
    await rejectsWith(sdk.desktops.start({ desktopId: stopped.id }), 9, new RegExp(`^Desktop ${stopped.id} is UPDATING$`));
    await rejectsWith(sdk.desktops.delete({ desktopId: stopped.id }), 9, new RegExp(`^Desktop ${stopped.id} is UPDATING$`));
    assert.equal((await waitDone(sdk, update, 60_000)).error, undefined);
    assert.equal((await sdk.desktops.get({ desktopId: active.id })).status, DesktopStatus.ACTIVE);
    assert.equal((await sdk.desktops.get({ desktopId: stopped.id })).status, DesktopStatus.STOPPED);
  });
});

describe('group Delete while a desktop of it is busy', () => {
  it('ends without INTERNAL and leaves neither the group nor its desktops', async () => {
    const [groupId, desktopId] = [busyGroup.id, desktops.busy.id];
    const restart = await sdk.desktops.restart({ desktopId });
    const del = await sdk.desktopGroups.delete({ desktopGroupId: groupId });
    const [restarted, deleted] = await Promise.all([waitDone(sdk, restart, 30_000), waitDone(sdk, del, 30_000)]);
    assert.equal(deleted.error, undefined, deleted.error?.message);
    assert.notEqual(restarted.error?.code, 13, restarted.error?.message);
    await rejectsWith(sdk.desktops.get({ desktopId }), NOT_FOUND);
    await rejectsWith(sdk.desktopGroups.get({ desktopGroupId: groupId }), NOT_FOUND);
  });
});

describe('kill -9', () => {
  it('in the middle of a Stop and of a CopyFromDesktop: both finish after the restart and the desktop is unlocked', async () => {
    const stop = await sdk.desktops.stop({ desktopId: desktops.active.id });
    await until(desktops.active.id, DesktopStatus.STOPPING);
    const stopping = new RegExp(`^Desktop ${desktops.active.id} is STOPPING$`);
    await rejectsWith(sdk.desktops.stop({ desktopId: desktops.active.id }), 9, stopping);
    await rejectsWith(sdk.desktops.delete({ desktopId: desktops.active.id }), 9, stopping);
    const copy = await sdk.desktopImages.copyFromDesktop({ desktopId: desktops.stopped.id, name: 'crash-capture' });
    const imageId = imageIdOf(copy);
    assert.equal((await sdk.desktopImages.get({ imageId })).status, ImageStatus.CREATING);
    await rejectsWith(sdk.desktops.delete({ desktopId: desktops.stopped.id }), 9, /is being copied to desktop image/);
    await server.kill();
    sdk.close();
    server = await startServer({ dataDir: server.dataDir, args: SLOW });
    sdk = sdkFor(server);
    const [stopped, copied] = await Promise.all([waitDone(sdk, stop, 30_000), waitDone(sdk, copy, 30_000)]);
    assert.equal(stopped.error, undefined, stopped.error?.message);
    assert.equal(copied.error, undefined, copied.error?.message);
    assert.equal(Desktop.decode(stopped.response.value).status, DesktopStatus.STOPPED);
    assert.equal((await sdk.desktops.get({ desktopId: desktops.active.id })).status, DesktopStatus.STOPPED);
    assert.equal((await sdk.desktopImages.get({ imageId })).status, ImageStatus.ACTIVE);
    const start = await waitDone(sdk, await sdk.desktops.start({ desktopId: desktops.stopped.id }), 30_000);
    assert.equal(start.error, undefined, start.error?.message);
    assert.equal(Desktop.decode(start.response.value).status, DesktopStatus.ACTIVE, 'the captured desktop is unlocked');
  });
});
