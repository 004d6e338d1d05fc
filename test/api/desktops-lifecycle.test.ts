/**
 * Desktops over time, through the official SDK: group → desktop → stop → CopyFromDesktop → a
 * group from the captured image; hot standby; operations newest first and paged; filters and
 * orders; update policies and desktop types as far as the simulated runtime shows them; and 20
 * racing Creates against max_desktops_amount (docs/decisions.md points 15, 16, 18, 20).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../harness/server.js';
import { sdkFor, waitDone, type SdkClients } from '../harness/sdk.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { failureOf, rejectsWith } from '../harness/assert-error.js';
import { waitFor } from '../harness/wait.js';
import { internalErrors, desktopKit, Desktop, DesktopImage, DesktopStatus, DesktopType, ImageStatus, user, type DesktopKit } from '../harness/desktops.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Msg = any;
const FOLDER = 'f-life';

let server: RunningServer;
let sdk: SdkClients;
let src: ImageSource;
let kit: DesktopKit;

before(async () => {
  server = await startServer({ args: ['--desktop-transition-ms', '20'] });
  sdk = sdkFor(server);
  src = await startImageSource();
  kit = await desktopKit(sdk, src, FOLDER);
});

after(async () => {
  sdk.close();
  await src.close();
  await server.cleanup();
});

/** CopyFromDesktop of a STOPPED desktop, to its ACTIVE image. */
async function capture(desktopId: string, name: string): Promise<Msg> {
  const op = await sdk.desktopImages.copyFromDesktop({ desktopId, name });
  const done = await waitDone(sdk, op);
  assert.equal(done.error, undefined, done.error?.message);
  return DesktopImage.decode(done.response.value);
}

/** Every page of `list` at page size 1, following next_page_token. */
async function allPages(list: (pageToken: string) => Promise<Msg>, key: string): Promise<Msg[]> {
  const out: Msg[] = [];
  let token = '';
  do {
    const page = await list(token);
    assert.ok(page[key].length <= 1);
    out.push(...page[key]);
    token = page.nextPageToken;
  } while (token !== '');
  return out;
}

describe('desktop lifecycle', () => {
  it('group → desktop → stop → CopyFromDesktop → a new group from that image → a desktop in it', async () => {
    const group = await kit.group({ name: 'life' });
    const d = await kit.desktop(group.id, ['alice']);
    await kit.power('stop', d.id);
    const image = await capture(d.id, 'captured');
    const source = await sdk.desktopImages.get({ imageId: kit.imageId });
    assert.deepEqual([image.folderId, image.name, image.status], [FOLDER, 'captured', ImageStatus.ACTIVE]);
    assert.equal(image.storageSize, source.storageSize, 'an unchanged disk shares the source bytes');
    assert.equal((await kit.power('start', d.id)).status, DesktopStatus.ACTIVE, 'the capture freed the desktop');
    const second = await kit.group({ name: 'from-capture', desktopImageId: image.id });
    const d2 = await kit.desktop(second.id, ['bob']);
    assert.equal(d2.status, DesktopStatus.ACTIVE);
  });

  it('hands out standby desktops first and replenishes them', async () => {
    const group = await kit.group({ name: 'standby', groupConfig: { minReadyDesktops: 2, maxDesktopsAmount: 4 } });
    const standby = async (n: number) =>
      waitFor(async () => {
        const all = (await sdk.desktopGroups.listDesktops({ desktopGroupId: group.id })).desktops;
        const ready = all.filter((x: Msg) => x.users.length === 0 && x.status === DesktopStatus.ACTIVE);
        return ready.length === n && all.length >= n && ready.map((x: Msg) => x.id);
      }, { what: `${n} ready standby desktops` });
    const ready = await standby(2);
    const op = await sdk.desktops.create({ desktopGroupId: group.id, users: [user('alice')], name: 'taken' });
    const taken = Desktop.decode((await waitDone(sdk, op)).response.value);
    assert.ok(ready.includes(taken.id), 'Create handed out a standby desktop');
    assert.deepEqual([taken.users, taken.name, taken.status], [[user('alice')], 'taken', DesktopStatus.ACTIVE]);
    const again = await standby(2);
    assert.ok(!again.includes(taken.id));
    assert.equal((await sdk.desktopGroups.listDesktops({ desktopGroupId: group.id })).desktops.length, 3, 'replenished to two standby');
    await kit.desktop(group.id, ['bob']);
    // The group is at its maximum of 4: one standby left, none made beyond the maximum.
    await standby(1);
    assert.equal((await sdk.desktopGroups.listDesktops({ desktopGroupId: group.id })).desktops.length, 4);
  });

  it('lists a desktop\'s and a group\'s operations newest first, paged with tokens', async () => {
    const group = await kit.group({ name: 'ops' });
    const d = await kit.desktop(group.id);
    for (const action of ['stop', 'start', 'restart']) await kit.power(action, d.id);
    const full = (await sdk.desktops.listOperations({ desktopId: d.id })).operations;
    assert.deepEqual(full.map((o: Msg) => o.description), ['Restart desktop', 'Start desktop', 'Stop desktop', 'Create desktop']);
    const paged = await allPages((pageToken) => sdk.desktops.listOperations({ desktopId: d.id, pageSize: 1, pageToken }), 'operations');
    assert.deepEqual(paged.map((o: Msg) => o.id), full.map((o: Msg) => o.id));
    for (const description of ['one', 'two']) {
      assert.equal((await waitDone(sdk, await sdk.desktopGroups.update({ desktopGroupId: group.id, updateMask: { paths: ['description'] }, description }))).error, undefined);
    }
    const gops = await allPages((pageToken) => sdk.desktopGroups.listOperations({ desktopGroupId: group.id, pageSize: 1, pageToken }), 'operations');
    assert.deepEqual(gops.map((o: Msg) => o.description), ['Update desktop group', 'Update desktop group', 'Create desktop group'], 'the desktop\'s are under the desktop');
    // No filter grammar for operations is documented: refused on the field, not ignored.
    await rejectsWith(sdk.desktops.listOperations({ desktopId: d.id, filter: 'done=true' }), 3, /filter: Filtering operations is not supported/);
    await rejectsWith(sdk.desktopGroups.listOperations({ desktopGroupId: group.id, filter: 'done=true' }), 3, /filter: Filtering operations is not supported/);
  });

  it('List and ListDesktops filter by name and order by name, created_at and status', async () => {
    const group = await kit.group({ name: 'order' });
    const made: Msg[] = [];
    for (const name of ['charlie', 'alpha', 'bravo']) made.push(await kit.desktop(group.id, ['u'], { name }));
    await kit.power('stop', made[1].id);
    const names = (r: Msg) => r.desktops.map((x: Msg) => x.name);
    const inGroup = (extra: Msg) => sdk.desktopGroups.listDesktops({ desktopGroupId: group.id, ...extra });
    assert.deepEqual(names(await inGroup({ orderBy: 'name' })), ['alpha', 'bravo', 'charlie']);
    assert.deepEqual(names(await inGroup({ orderBy: 'name desc' })), ['charlie', 'bravo', 'alpha']);
    assert.deepEqual(names(await inGroup({ orderBy: 'created_at' })), ['charlie', 'alpha', 'bravo']);
    // alpha is the one STOPPED desktop: ACTIVE sorts before STOPPED.
    assert.equal(names(await inGroup({ orderBy: 'status' })).at(-1), 'alpha');
    assert.equal(names(await inGroup({ orderBy: 'status desc' })).at(0), 'alpha');
    assert.deepEqual(names(await inGroup({ filter: 'name = "bravo"' })), ['bravo']);
    assert.deepEqual(names(await sdk.desktops.list({ folderId: FOLDER, filter: "name IN ('alpha', 'charlie')", orderBy: 'name desc' })), ['charlie', 'alpha']);
    const paged = await allPages((pageToken) => sdk.desktops.list({ folderId: FOLDER, filter: "name IN ('alpha', 'bravo', 'charlie')", orderBy: 'name', pageSize: 1, pageToken }), 'desktops');
    assert.deepEqual(paged.map((x: Msg) => x.name), ['alpha', 'bravo', 'charlie']);
    const groups = await sdk.desktopGroups.list({ folderId: FOLDER, filter: 'name = "order"' });
    assert.deepEqual(groups.desktopGroups.map((g: Msg) => g.id), [group.id]);
    assert.ok(failureOf(await sdk.desktops.list({ folderId: FOLDER, orderBy: 'memory' }).catch((e: unknown) => e)).code === 3);
  });

  it('AUTO re-images every desktop on a new image; MANUAL waits for DesktopService.Update (seen through CopyFromDesktop)', async () => {
    const newImage = await kit.image('new-image', 3 * 1024 * 1024);
    const oldImage = await sdk.desktopImages.get({ imageId: kit.imageId });
    assert.notEqual(newImage.storageSize, oldImage.storageSize);
    const auto = await kit.group({ name: 'auto' });
    const manual = await kit.group({ name: 'manual' });
    const setPolicy = await waitDone(sdk, await sdk.desktopGroups.update({ desktopGroupId: auto.id, updateMask: { paths: ['auto_update_policy'] }, autoUpdatePolicy: {} }));
    assert.equal(setPolicy.error, undefined);
    assert.deepEqual((await sdk.desktopGroups.get({ desktopGroupId: auto.id })).autoUpdatePolicy, {});
    const a = await kit.desktop(auto.id);
    const m = await kit.desktop(manual.id);
    for (const g of [auto, manual]) {
      const op = await waitDone(sdk, await sdk.desktopGroups.update({ desktopGroupId: g.id, updateMask: { paths: ['desktop_image_id'] }, desktopImageId: newImage.id }));
      assert.equal(op.error, undefined, op.error?.message);
      // DesktopGroup carries no image id on the wire: the desktops' disks show which image they run.
    }
    await kit.until(a.id, DesktopStatus.ACTIVE);
    for (const d of [a, m]) await kit.power('stop', d.id);
    assert.equal((await capture(a.id, 'auto-capture')).storageSize, newImage.storageSize, 'AUTO: the desktop runs the new image');
    assert.equal((await capture(m.id, 'manual-capture')).storageSize, oldImage.storageSize, 'MANUAL: unchanged until Update');
    assert.equal((await kit.power('update', m.id)).status, DesktopStatus.STOPPED);
    assert.equal((await capture(m.id, 'manual-updated')).storageSize, newImage.storageSize, 'MANUAL: re-imaged by DesktopService.Update');
  });

  it('NON_PERSISTENT desktops come back from Stop and Restart on their image', async () => {
    const group = await kit.group({ name: 'non-persistent', groupConfig: { desktopType: DesktopType.NON_PERSISTENT } });
    assert.equal(group.groupConfig.desktopType, DesktopType.NON_PERSISTENT);
    const d = await kit.desktop(group.id);
    assert.equal((await kit.power('restart', d.id)).status, DesktopStatus.ACTIVE);
    assert.equal((await kit.power('stop', d.id)).status, DesktopStatus.STOPPED);
    const image = await capture(d.id, 'fresh');
    assert.equal(image.storageSize, (await sdk.desktopImages.get({ imageId: kit.imageId })).storageSize, 'a fresh disk of the group image');
    assert.equal((await kit.power('start', d.id)).status, DesktopStatus.ACTIVE);
  });
});

describe('images no group names any more', () => {
  it('a NON_PERSISTENT desktop whose image was deleted still resets to it at Stop and Restart (its disk holds the bytes)', async () => {
    const first = await kit.image('np-first', 2 * 1024 * 1024);
    const second = await kit.image('np-second', 1024 * 1024);
    const group = await kit.group({ name: 'np-deleted', desktopImageId: first.id, groupConfig: { desktopType: DesktopType.NON_PERSISTENT } });
    const d = await kit.desktop(group.id);
    const moved = await waitDone(sdk, await sdk.desktopGroups.update({ desktopGroupId: group.id, updateMask: { paths: ['desktop_image_id'] }, desktopImageId: second.id }));
    assert.equal(moved.error, undefined, moved.error?.message);
    const deleted = await waitDone(sdk, await sdk.desktopImages.delete({ imageId: first.id }));
    assert.equal(deleted.error, undefined, 'no group names the first image any more');
    assert.equal((await kit.power('restart', d.id)).status, DesktopStatus.ACTIVE);
    assert.equal((await kit.power('stop', d.id)).status, DesktopStatus.STOPPED);
    assert.equal((await capture(d.id, 'np-kept')).storageSize, first.storageSize, 'still the first image\'s bytes (MANUAL policy)');
    assert.equal((await kit.power('update', d.id)).status, DesktopStatus.STOPPED);
    assert.equal((await capture(d.id, 'np-updated')).storageSize, second.storageSize);
  });
});

describe('concurrency', () => {
  it('20 parallel Creates on max_desktops_amount 5: exactly 5 succeed, the rest FAILED_PRECONDITION, no INTERNAL', async () => {
    const group = await kit.group({ name: 'race', groupConfig: { maxDesktopsAmount: 5 } });
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => sdk.desktops.create({ desktopGroupId: group.id, users: [user(`u${i}`)] })));
    const accepted = results.filter((r): r is PromiseFulfilledResult<Msg> => r.status === 'fulfilled').map((r) => r.value);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => failureOf(r.reason));
    assert.equal(accepted.length, 5, JSON.stringify(refused));
    assert.ok(refused.every((f) => f.code === 9 && /maximum of 5 desktops/.test(f.details)), JSON.stringify(refused));
    const done = await Promise.all(accepted.map((op) => waitDone(sdk, op)));
    assert.ok(done.every((op: Msg) => op.error === undefined));
    const desktops = (await sdk.desktopGroups.listDesktops({ desktopGroupId: group.id })).desktops;
    assert.equal(desktops.length, 5);
    assert.ok(desktops.every((x: Msg) => x.status === DesktopStatus.ACTIVE));
  });
});

describe('no INTERNAL', () => {
  it('answered no call of this file INTERNAL or UNKNOWN', () => {
    assert.ok(server.logs.some((l) => l['msg'] === 'rpc'), 'the server logs its calls');
    assert.deepEqual(internalErrors(server.logs), []);
  });
});
