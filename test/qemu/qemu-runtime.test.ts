/**
 * The QEMU runtime end to end (needs QEMU: qemu-system-x86 and qemu-utils, which `npm test`
 * installs when missing; without them these tests fail). Machines boot the test's own boot
 * sector under TCG, which writes a marker into its disk.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { waitFor } from '../harness/wait.js';
import { startServer } from '../harness/server.js';
import { bannerOf, blobFiles, hasMarker, overlayOf, qemuImgInfo, qemuPids, startQemuServer, type Json, type QemuServer } from './qemu-fixture.js';

const pidOf = (dir: string) => Number(readFileSync(join(dir, 'qemu.pid'), 'utf8'));
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('QEMU runtime (needs QEMU)', { timeout: 300_000 }, () => {
  let q: QemuServer;
  before(async () => {
    q = await startQemuServer(['--desktop-stop-timeout-ms', '1500']);
  });
  after(() => q.cleanup());

  const status = async (id: string) => (await q.call('GET', `/cloud-desktop/v1/desktops/${id}`))['status'] as string;

  it('needs QEMU: boots the marker image, stops with a hard power-off after the timeout, captures the marker into a new image', async () => {
    const dataDir = q.server.dataDir;
    const markerImage = await q.systemImage('marker');
    const blobsBefore = blobFiles(dataDir);
    const group = await q.group(markerImage);
    const desktop = await q.desktop(group['id']);
    assert.equal(desktop['status'], 'ACTIVE');
    assert.equal(qemuPids(dataDir).length, 1, 'one QEMU runs for the desktop');

    // The boot disk is an overlay over the image's blob, its backing format given.
    const overlay = overlayOf(dataDir, desktop['id']);
    const info = qemuImgInfo(overlay);
    assert.equal(info['backing-filename-format'], 'raw');
    assert.ok(blobsBefore.has(String(info['backing-filename']).split('/').pop()!), 'the backing file is the image blob');
    await waitFor(() => hasMarker(overlay), { what: 'the guest writes its marker', timeoutMs: 60_000, intervalMs: 250 });

    // The RDP file names the loopback forward.
    const rdp = await q.call('GET', `/cloud-desktop/v1/desktops/${desktop['id']}:getRdpFile?user.subjectId=user-1&user.subjectType=userAccount`);
    const rdpPort = Number(/full address:s:127\.0\.0\.1:(\d+)\r\n/.exec(String(rdp['content']))?.[1]);
    assert.ok(rdpPort >= q.rdpPorts.first && rdpPort <= q.rdpPorts.last, `RDP file names a port of the range: ${String(rdp['content'])}`);

    // The guest ignores ACPI: Stop waits for the timeout, then powers off.
    const t = Date.now();
    const stopped = await q.operation(`/cloud-desktop/v1/desktops/${desktop['id']}:stop`, {});
    assert.equal(stopped['status'], 'STOPPED');
    assert.ok(Date.now() - t >= 1500, 'Stop waited for the power-down');
    await waitFor(() => q.server.logs.some((l) => l['msg'] === 'desktop did not power down in time; powering off' && l['desktopId'] === desktop['id']), {
      what: 'the hard power-off logged',
    });
    assert.deepEqual(qemuPids(dataDir), []);

    const image = await q.operation('/cloud-desktop/v1/images:copyFromDesktop', { desktopId: desktop['id'], folderId: 'qemu-tests', name: 'captured' });
    assert.equal(image['status'], 'ACTIVE');
    const added = [...blobFiles(dataDir)].filter(([sha]) => !blobsBefore.has(sha));
    assert.equal(added.length, 1, 'the capture made one new blob');
    const [, newBlob] = added[0]!;
    assert.equal(String(image['storageSize']), String(readFileSync(newBlob).length), 'storage_size is the blob size');
    assert.equal(String(image['minDiskSize']), String(64 * 1024 * 1024), 'min_disk_size is the disk size');
    assert.ok(hasMarker(newBlob, 'qcow2'), 'the new image holds the marker');
    for (const [sha, path] of blobsBefore) assert.equal(sha256(path), sha, 'source blobs are byte-for-byte unchanged');

    // A desktop of the captured image boots from a disk that holds the marker already.
    const group2 = await q.group(image['id']);
    const second = await q.desktop(group2['id']);
    const overlay2 = overlayOf(dataDir, second['id']);
    assert.equal(qemuImgInfo(overlay2)['backing-filename-format'], 'qcow2');
    assert.ok(hasMarker(overlay2));
    await q.operation(`/cloud-desktop/v1/desktops/${second['id']}:stop`, {});
  });

  it('needs QEMU: a desktop that wrote nothing captures to the blob of its image', async () => {
    const dataDir = q.server.dataDir;
    const idle = await q.systemImage('idle');
    const source = await q.call('GET', `/cloud-desktop/v1/images/${idle}`);
    const group = await q.group(idle);
    const desktop = await q.desktop(group['id']);
    await q.operation(`/cloud-desktop/v1/desktops/${desktop['id']}:stop`, {});
    const blobsBefore = blobFiles(dataDir);
    const image = await q.operation('/cloud-desktop/v1/images:copyFromDesktop', { desktopId: desktop['id'], folderId: 'qemu-tests', name: 'same' });
    assert.deepEqual([...blobFiles(dataDir).keys()].sort(), [...blobsBefore.keys()].sort(), 'no new blob');
    assert.equal(image['storageSize'], source['storageSize']);
    assert.equal(image['minDiskSize'], source['minDiskSize']);
  });

  it('needs QEMU: a machine that dies leaves its desktop in ERROR; Delete removes its directory', async () => {
    const group = await q.group(await q.systemImage('idle'));
    const desktop = await q.desktop(group['id']);
    const dir = join(q.server.dataDir, 'desktops', desktop['id']);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    process.kill(pidOf(dir), 'SIGKILL');
    await waitFor(async () => (await status(desktop['id'])) === 'ERROR', { what: 'the desktop in ERROR' });
    await q.operation(`/cloud-desktop/v1/desktops/${desktop['id']}`, undefined, 'DELETE');
    assert.equal(existsSync(dir), false);
  });

  it('needs QEMU: Restart resets the running machine; a non-persistent desktop gets a fresh overlay at Stop', async () => {
    const group = await q.group(await q.systemImage('marker'), { groupConfig: { desktopType: 'NON_PERSISTENT', maxDesktopsAmount: '2' } });
    const desktop = await q.desktop(group['id']);
    const dir = join(q.server.dataDir, 'desktops', desktop['id']);
    const overlay = overlayOf(q.server.dataDir, desktop['id']);
    await waitFor(() => hasMarker(overlay), { what: 'the guest writes its marker', timeoutMs: 60_000, intervalMs: 250 });
    const pid = pidOf(dir);
    await q.operation(`/cloud-desktop/v1/desktops/${desktop['id']}:stop`, {});
    assert.equal(hasMarker(overlayOf(q.server.dataDir, desktop['id'])), false, 'what the machine wrote is gone');
    await q.operation(`/cloud-desktop/v1/desktops/${desktop['id']}:start`, {});
    assert.notEqual(pidOf(dir), pid);

    const persistent = await q.desktop((await q.group(await q.systemImage('idle')))['id']);
    const pdir = join(q.server.dataDir, 'desktops', persistent['id']);
    const before = pidOf(pdir);
    assert.equal((await q.operation(`/cloud-desktop/v1/desktops/${persistent['id']}:restart`, {}))['status'], 'ACTIVE');
    assert.equal(pidOf(pdir), before, 'a reset, not a new process');
  });

  it('needs QEMU: a running desktop has a VNC console on a loopback port of --desktop-vnc-ports, closed after Stop', async () => {
    const desktop = await q.desktop((await q.group(await q.systemImage('idle')))['id']);
    const dir = join(q.server.dataDir, 'desktops', desktop['id']);
    const port = Number(readFileSync(join(dir, 'vnc-port'), 'utf8'));
    assert.ok(port >= q.vncPorts.first && port <= q.vncPorts.last, `port ${port} is from the range`);
    assert.equal(await bannerOf(port), 'RFB 003.008\n');
    const cmdline = readFileSync(`/proc/${pidOf(dir)}/cmdline`, 'utf8').split('\0');
    assert.equal(cmdline[cmdline.indexOf('-vnc') + 1], `127.0.0.1:${port - 5900}`, 'bound to loopback only');
    assert.equal(existsSync(join(dir, 'qmp.sock')), true, 'QMP stays a socket in the 0700 directory');
    await q.operation(`/cloud-desktop/v1/desktops/${desktop['id']}:stop`, {});
    await assert.rejects(bannerOf(port), /ECONNREFUSED/, 'nothing listens once the machine is off');
    await q.operation(`/cloud-desktop/v1/desktops/${desktop['id']}:start`, {});
    assert.equal(await bannerOf(port), 'RFB 003.008\n', 'the desktop keeps its port');
    await q.operation(`/cloud-desktop/v1/desktops/${desktop['id']}`, undefined, 'DELETE');
    await assert.rejects(bannerOf(port), /ECONNREFUSED/);
  });

  it('needs QEMU: a Start whose RDP port another process holds fails, naming the port and the flag', async () => {
    const desktop = await q.desktop((await q.group(await q.systemImage('idle')))['id']);
    const dir = join(q.server.dataDir, 'desktops', desktop['id']);
    const port = Number(readFileSync(join(dir, 'rdp-port'), 'utf8'));
    await q.operation(`/cloud-desktop/v1/desktops/${desktop['id']}:stop`, {});
    const other = createServer(); // another server given the same range, say
    await new Promise<void>((resolve) => other.listen(port, '127.0.0.1', resolve));
    try {
      await assert.rejects(q.operation(`/cloud-desktop/v1/desktops/${desktop['id']}:start`, {}), (err: Error) => {
        assert.ok(err.message.includes(`RDP port ${port} (--desktop-rdp-ports) is in use by another process on this host`), err.message);
        return true;
      });
      assert.deepEqual(qemuPids(dir), [], 'no QEMU was started');
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
    await q.operation(`/cloud-desktop/v1/desktops/${desktop['id']}`, undefined, 'DELETE');
  });

  it('needs QEMU: re-imaging a running desktop powers it off, gives it a fresh overlay of the new image and starts it again', async () => {
    const dataDir = q.server.dataDir;
    const group = await q.group(await q.systemImage('marker'));
    const desktop = await q.desktop(group['id']);
    const dir = join(dataDir, 'desktops', desktop['id']);
    const overlay = overlayOf(dataDir, desktop['id']);
    await waitFor(() => hasMarker(overlay), { what: 'the guest writes its marker', timeoutMs: 60_000, intervalMs: 250 });
    const pid = pidOf(dir);
    const markerBase = qemuImgInfo(overlay)['backing-filename'];

    const idle = await q.systemImage('idle');
    await q.operation(`/cloud-desktop/v1/desktopGroups/${group['id']}`, { updateMask: 'desktopImageId', desktopImageId: idle }, 'PATCH');
    const t = Date.now();
    const updated = await q.operation(`/cloud-desktop/v1/desktops/${desktop['id']}:update`, {}, 'PATCH');
    assert.equal(updated['status'], 'ACTIVE');
    assert.ok(Date.now() - t >= 1500, 'the guest ignores ACPI: the re-image waited for the stop timeout');
    await waitFor(() => q.server.logs.some((l) => l['msg'] === 'desktop did not power down in time; powering off' && l['desktopId'] === desktop['id']), {
      what: 'then the hard power-off logged',
    });

    const fresh = overlayOf(dataDir, desktop['id']);
    assert.equal(hasMarker(fresh), false, 'what the machine wrote is gone');
    const base = String(qemuImgInfo(fresh)['backing-filename']);
    assert.notEqual(base, markerBase, 'over the new image');
    assert.ok(blobFiles(dataDir).has(base.split('/').pop()!), 'whose blob is the backing file');
    assert.notEqual(pidOf(dir), pid, 'a new QEMU process');
    assert.deepEqual(qemuPids(dir), [pidOf(dir)], 'only the new one runs');
    assert.equal(await status(desktop['id']), 'ACTIVE');
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(hasMarker(fresh), false, 'the idle image writes nothing');
    await q.operation(`/cloud-desktop/v1/desktops/${desktop['id']}:stop`, {});
  });

  it('needs QEMU: a group with automatic updates re-images its running desktop the same way (power off, fresh overlay, new QEMU)', async () => {
    const dataDir = q.server.dataDir;
    const group = await q.group(await q.systemImage('marker'));
    await q.operation(`/cloud-desktop/v1/desktopGroups/${group['id']}`, { updateMask: 'autoUpdatePolicy', autoUpdatePolicy: {} }, 'PATCH');
    const desktop = await q.desktop(group['id']);
    const dir = join(dataDir, 'desktops', desktop['id']);
    await waitFor(() => hasMarker(overlayOf(dataDir, desktop['id'])), { what: 'the guest writes its marker', timeoutMs: 60_000, intervalMs: 250 });
    const pid = pidOf(dir);
    await q.operation(`/cloud-desktop/v1/desktopGroups/${group['id']}`, { updateMask: 'desktopImageId', desktopImageId: await q.systemImage('idle') }, 'PATCH');
    assert.equal(hasMarker(overlayOf(dataDir, desktop['id'])), false, 'what the machine wrote is gone');
    assert.notEqual(pidOf(dir), pid, 'a new QEMU process');
    assert.deepEqual(qemuPids(dir), [pidOf(dir)], 'only the new one runs');
    assert.equal(await status(desktop['id']), 'ACTIVE');
    await q.operation(`/cloud-desktop/v1/desktops/${desktop['id']}:stop`, {});
  });

  it('needs QEMU: start-up refuses the qemu runtime when QEMU is not installed', async () => {
    await assert.rejects(
      startServer({ args: ['--desktop-runtime', 'qemu'], env: { PATH: '/nonexistent' } }),
      /qemu-system-x86_64 and qemu-img not found on PATH; install them \(Debian: apt-get install qemu-system-x86 qemu-utils\)/,
    );
  });

  it('needs QEMU: SIGTERM powers guests down by ACPI, powers off those still up after the shutdown grace, leaves no QEMU, and start-up runs them again', async () => {
    const polite = await q.desktop((await q.group(await q.systemImage('acpi')))['id']);
    const stubborn = await q.desktop((await q.group(await q.systemImage('idle')))['id']);
    const dataDir = q.server.dataDir;
    const dirOf = (d: Json) => join(dataDir, 'desktops', d['id']);
    const pids = [pidOf(dirOf(polite)), pidOf(dirOf(stubborn))];
    const logs = q.server.logs;
    const t = Date.now();
    assert.equal(await q.server.stop('SIGTERM'), 0, 'a clean exit');
    const took = Date.now() - t;
    assert.deepEqual(qemuPids(dataDir), [], 'no QEMU outlives the server');
    assert.ok(took >= 3000, `the guest that ignores ACPI had the shutdown grace (3000 ms) to go (took ${took} ms)`);
    const forced = logs.filter((l) => l['msg'] === 'desktop did not power down in time; powering off').map((l) => [l['desktopId'], l['on'], l['timeoutMs']]);
    assert.deepEqual(forced.filter(([id]) => id === polite['id'] || id === stubborn['id']), [[stubborn['id'], 'shutdown', 3000]], 'only the guest that ignored ACPI was powered off');

    await q.restart();
    for (const d of [polite, stubborn]) {
      assert.equal(await status(d['id']), 'ACTIVE');
      assert.equal(qemuPids(dirOf(d)).length, 1, `desktop ${d['id']} runs again`);
    }
    assert.ok(!pids.includes(pidOf(dirOf(polite))) && !pids.includes(pidOf(dirOf(stubborn))), 'in new QEMU processes');
  });

  it('needs QEMU: kill -9 of the server ends its machines; after a restart ACTIVE desktops run again', async () => {
    const group = await q.group(await q.systemImage('idle'), { groupConfig: { maxDesktopsAmount: '5' } });
    const running: Json[] = [await q.desktop(group['id']), await q.desktop(group['id'])];
    const stopped = await q.desktop(group['id']);
    await q.operation(`/cloud-desktop/v1/desktops/${stopped['id']}:stop`, {});
    const dataDir = q.server.dataDir;
    assert.ok(qemuPids(dataDir).length >= 2);
    await q.server.kill();
    await waitFor(() => qemuPids(dataDir).length === 0, { what: 'no QEMU outlives the server', timeoutMs: 10_000 });
    await q.restart();
    for (const d of running) assert.equal(await status(d['id']), 'ACTIVE');
    assert.equal(await status(stopped['id']), 'STOPPED');
    for (const d of running) {
      assert.equal(qemuPids(join(dataDir, 'desktops', d['id'])).length, 1, `desktop ${d['id']} runs again`);
    }
  });
});
