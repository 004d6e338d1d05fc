/**
 * `--quota-preset cloud-defaults` against the real server (REST): the real service's current
 * default quotas (api-conventions 10.3) on desktops, vCPU, memory, disks and desktop images,
 * each RESOURCE_EXHAUSTED (HTTP 429) with the quota's name, counted per folder; another folder
 * is not affected.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../harness/server.js';
import { compute, sdkFor, waitDone, type SdkClients } from '../harness/sdk.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';

const GIB = 1024 ** 3;

describe('--quota-preset cloud-defaults', () => {
  let server: RunningServer;
  let sdk: SdkClients;
  let src: ImageSource;
  let computeImageId: string;
  const images = new Map<string, string>();

  /** Groups use an image of their own folder. */
  const imageIn = async (folderId: string): Promise<string> => {
    if (!images.has(folderId)) {
      await waitDone(sdk, await sdk.desktopImages.copy({ folderId, name: 'img', imageId: computeImageId }));
      images.set(folderId, (await sdk.desktopImages.list({ folderId })).desktopImages[0].id);
    }
    return images.get(folderId)!;
  };
  const idOf = async (folderId: string, name: string): Promise<string> =>
    (await rest('GET', `desktopGroups?folderId=${folderId}&filter=${encodeURIComponent(`name="${name}"`)}`)).body.desktopGroups[0].id;

  const rest = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`http://127.0.0.1:${server.port}/cloud-desktop/v1/${path}`, {
      method, headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const done = async (r: { status: number; body: Record<string, any> }) => {
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const op = await waitDone(sdk, { id: r.body.id, done: false });
    assert.equal(op.error, undefined, op.error?.message);
    return op;
  };
  const group = async (folderId: string, name: string, cores: number, memGib: number, disk: { type: string; gib: number }, minReady = 0) =>
    rest('POST', 'desktopGroups', {
      folderId, desktopImageId: await imageIn(folderId), name,
      resourcesSpec: { cores, memory: String(memGib * GIB), coreFraction: 100 },
      bootDiskSpec: { type: disk.type, size: String(disk.gib * GIB) },
      groupConfig: { minReadyDesktops: minReady, maxDesktopsAmount: 20, desktopType: 'PERSISTENT' },
    });
  const desktop = (groupId: string) => rest('POST', 'desktops', { desktopGroupId: groupId, users: [{ subjectId: 'u1', subjectType: 'userAccount' }] });

  before(async () => {
    server = await startServer({ args: ['--quota-preset', 'cloud-defaults', '--desktop-transition-ms', '0'] });
    sdk = sdkFor(server);
    src = await startImageSource();
    const op = await waitDone(sdk, await sdk.images.create({ folderId: 'src', name: 'base', uri: src.url(`/qcow2?virtual=${GIB}`) }));
    computeImageId = compute.image.Image.decode(op.response.value).id;
  });
  after(async () => {
    sdk.close();
    await src.close();
    await server.cleanup();
  });

  it('counts cores, memory and disks of the folder\'s desktops', async () => {
    await done(await group('q-res', 'big', 16, 8, { type: 'SSD', gib: 200 }));
    const groupId = await idOf('q-res', 'big');
    await done(await desktop(groupId));
    await done(await desktop(groupId)); // 32 of 40 cores, 16 of 80 GiB, 400 of 600 GiB SSD
    const third = await desktop(groupId);
    assert.equal(third.status, 429);
    assert.equal(third.body.message, 'Quota limit vdi.desktopCores.count exceeded');

    await done(await group('q-res', 'mem', 1, 65, { type: 'HDD', gib: 10 }));
    const m = await desktop(await idOf('q-res', 'mem'));
    assert.equal(m.status, 429);
    assert.equal(m.body.message, 'Quota limit vdi.desktopMemory.size exceeded');

    const ssd = await group('q-res', 'ssd', 1, 1, { type: 'SSD', gib: 250 }, 1);
    assert.equal(ssd.status, 429, 'a group whose ready desktops do not fit');
    assert.equal(ssd.body.message, 'Quota limit vdi.ssdDisks.size exceeded');
  });

  it('refuses a group Update whose desktops would outgrow a quota, before any operation; a shrinking one passes', async () => {
    await done(await group('q-grow', 'grow', 8, 2, { type: 'SSD', gib: 100 }));
    const groupId = await idOf('q-grow', 'grow');
    await done(await desktop(groupId));
    await done(await desktop(groupId)); // 16 of 40 cores, 200 of 600 GiB SSD
    const update = (updateMask: string, patch: Record<string, unknown>) =>
      rest('PATCH', `desktopGroups/${groupId}`, { updateMask, ...patch });
    const cores = await update('resourcesSpec', { resourcesSpec: { cores: 24, memory: String(2 * GIB), coreFraction: 100 } });
    assert.equal(cores.status, 429, JSON.stringify(cores.body));
    assert.equal(cores.body.message, 'Quota limit vdi.desktopCores.count exceeded');
    const disk = await update('bootDiskSpec', { bootDiskSpec: { type: 'SSD', size: String(400 * GIB) } });
    assert.equal(disk.status, 429, JSON.stringify(disk.body));
    assert.equal(disk.body.message, 'Quota limit vdi.ssdDisks.size exceeded');
    const g = await rest('GET', `desktopGroups/${groupId}`);
    assert.equal(g.body.status, 'ACTIVE', 'a refused Update leaves the group as it was');
    assert.equal(g.body.resourcesSpec.cores, '8');
    await done(await update('resourcesSpec', { resourcesSpec: { cores: 20, memory: String(2 * GIB), coreFraction: 100 } })); // 40 of 40
    // The desktops take the 20 cores at their next re-sync: the room is held from the Update on.
    await done(await group('q-grow', 'other', 1, 1, { type: 'HDD', gib: 10 }));
    const squeezed = await desktop(await idOf('q-grow', 'other'));
    assert.equal(squeezed.status, 429, JSON.stringify(squeezed.body));
    assert.equal(squeezed.body.message, 'Quota limit vdi.desktopCores.count exceeded');
    await done(await update('resourcesSpec', { resourcesSpec: { cores: 4, memory: String(2 * GIB), coreFraction: 100 } }));
  });

  it('limits desktops per folder to 10, per folder only', async () => {
    await done(await group('q-count', 'small', 1, 1, { type: 'HDD', gib: 10 }));
    const groupId = await idOf('q-count', 'small');
    for (let i = 0; i < 10; i++) await done(await desktop(groupId));
    const eleventh = await desktop(groupId);
    assert.equal(eleventh.status, 429);
    assert.equal(eleventh.body.message, 'Quota limit vdi.desktops.count exceeded');
    const other = await done(await group('q-other', 'small', 1, 1, { type: 'HDD', gib: 10 }));
    assert.ok(other.done);
  });

  it('limits desktop images per folder to 8', async () => {
    for (let i = 0; i < 8; i++) await done(await rest('POST', 'images:copy', { folderId: 'q-images', name: `img-${i}`, imageId: computeImageId }));
    const ninth = await rest('POST', 'images:copy', { folderId: 'q-images', name: 'img-8', imageId: computeImageId });
    assert.equal(ninth.status, 429);
    assert.equal(ninth.body.message, 'Quota limit vdi.desktopImages.count exceeded');
  });
});
