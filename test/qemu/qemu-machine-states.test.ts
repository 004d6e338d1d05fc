/**
 * Desktop states that follow what happens to real machines (needs QEMU, like qemu-runtime.test.ts):
 * a re-image whose machine does not start again ends the desktop in ERROR, as a failed Start
 * does, for DesktopService.Update and a group's AUTO update alike; a guest that powers itself off
 * ends STOPPED, as a Stop would leave it, while a QEMU that ends any other way we did not ask for
 * (a crash, a signal) ends ERROR (docs/decisions.md point 16).
 * Calls go through the official SDK; machines boot the test's own boot sectors under TCG.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { qmp } from '../../src/runtimes/qemu/qmp.js';
import { waitFor } from '../harness/wait.js';
import { sdkFor, waitDone, type SdkClients } from '../harness/sdk.js';
import { DesktopStatus, GroupStatus } from '../harness/desktops.js';
import { qemuPids, startQemuServer, type QemuServer } from './qemu-fixture.js';

const MIB = 1024 * 1024;
/** More vCPUs than QEMU's pc machine takes (255): QEMU exits at start, a real runtime failure. */
const TOO_MANY_CORES = { memory: 64 * MIB, cores: 1000, coreFraction: 100 };

describe('desktop states of QEMU machines (needs QEMU)', { timeout: 300_000 }, () => {
  let q: QemuServer;
  let sdk: SdkClients;
  before(async () => {
    q = await startQemuServer(['--desktop-stop-timeout-ms', '1500']);
    sdk = sdkFor(q.server);
  });
  after(async () => {
    sdk.close();
    await q.cleanup();
  });

  const statusOf = async (desktopId: string) => (await sdk.desktops.get({ desktopId })).status;
  const dirOf = (desktopId: string) => join(q.server.dataDir, 'desktops', desktopId);
  const machinesOf = (desktopId: string) => qemuPids(dirOf(desktopId));
  const until = (desktopId: string, status: number) =>
    waitFor(async () => (await statusOf(desktopId)) === status, { what: `desktop ${desktopId} to be ${DesktopStatus[status]}`, timeoutMs: 30_000 });

  it('needs QEMU: a re-image whose machine does not start again ends ERROR, by DesktopService.Update and by a group AUTO update', async () => {
    const [acpi, idle] = [await q.systemImage('acpi'), await q.systemImage('idle')];

    // DesktopService.Update: the group names the new image and resources no machine can have.
    const manual = await q.group(acpi);
    const single = await q.desktop(manual['id']);
    assert.equal(machinesOf(single['id']).length, 1);
    const respec = await waitDone(sdk, await sdk.desktopGroups.update({
      desktopGroupId: manual['id'], updateMask: { paths: ['desktop_image_id', 'resources_spec'] }, desktopImageId: idle, resourcesSpec: TOO_MANY_CORES,
    }), 60_000);
    assert.equal(respec.error, undefined, respec.error?.message);
    const update = await waitDone(sdk, await sdk.desktops.update({ desktopId: single['id'] }), 60_000);
    assert.match(String(update.error?.message), /QEMU exited at start/, 'the operation fails with the runtime\'s error, as a Start would');
    assert.doesNotMatch(String(update.error?.message), /qemu\.log|\//, 'no server path reaches the client (the server log has it)');
    assert.equal(await statusOf(single['id']), DesktopStatus.ERROR);
    assert.deepEqual(machinesOf(single['id']), [], 'no machine runs');

    // A group AUTO update: the group's update goes through; the desktop it could not run again is in ERROR.
    const auto = await q.group(acpi);
    const setPolicy = await waitDone(sdk, await sdk.desktopGroups.update({ desktopGroupId: auto['id'], updateMask: { paths: ['auto_update_policy'] }, autoUpdatePolicy: {} }));
    assert.equal(setPolicy.error, undefined, setPolicy.error?.message);
    const member = await q.desktop(auto['id']);
    const reimage = await waitDone(sdk, await sdk.desktopGroups.update({
      desktopGroupId: auto['id'], updateMask: { paths: ['desktop_image_id', 'resources_spec'] }, desktopImageId: idle, resourcesSpec: TOO_MANY_CORES,
    }), 60_000);
    assert.equal(reimage.error, undefined, reimage.error?.message);
    assert.equal((await sdk.desktopGroups.get({ desktopGroupId: auto['id'] })).status, GroupStatus.ACTIVE);
    assert.equal(await statusOf(member['id']), DesktopStatus.ERROR);
    assert.deepEqual(machinesOf(member['id']), [], 'no machine runs');

    // Either way an ERROR desktop can be deleted, machine directory and all.
    for (const d of [single, member]) {
      const del = await waitDone(sdk, await sdk.desktops.delete({ desktopId: d['id'] }), 60_000);
      assert.equal(del.error, undefined, del.error?.message);
    }
  });

  it('needs QEMU: a desktop Update that changes only cores and memory runs the machine again with them', async () => {
    const group = await q.group(await q.systemImage('acpi'));
    const desktop = await q.desktop(group['id']);
    const [before] = machinesOf(desktop['id']);
    assert.ok(before, 'the desktop runs');
    const argsOf = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    assert.deepEqual(argsOf(before).slice(argsOf(before).indexOf('-m'), argsOf(before).indexOf('-m') + 2), ['-m', '64M']);
    const resize = await waitDone(sdk, await sdk.desktopGroups.update({
      desktopGroupId: group['id'], updateMask: { paths: ['resources_spec'] }, resourcesSpec: { memory: 96 * MIB, cores: 2, coreFraction: 100 },
    }), 60_000);
    assert.equal(resize.error, undefined, resize.error?.message);
    const update = await waitDone(sdk, await sdk.desktops.update({ desktopId: desktop['id'] }), 60_000);
    assert.equal(update.error, undefined, update.error?.message);
    assert.equal(await statusOf(desktop['id']), DesktopStatus.ACTIVE);
    const [after, ...more] = machinesOf(desktop['id']);
    assert.ok(after && more.length === 0, 'one machine runs');
    assert.notEqual(after, before, 'a new machine');
    const args = argsOf(after);
    assert.deepEqual([args[args.indexOf('-m') + 1], args[args.indexOf('-smp') + 1]], ['96M', '2']);
  });

  it('needs QEMU: a guest that powers itself off ends STOPPED and starts again; a QEMU ended by a signal nobody here sent ends ERROR', async () => {
    const group = await q.group(await q.systemImage('acpi'));
    const desktop = await q.desktop(group['id']);
    const id = desktop['id'] as string;
    // The power button pressed outside clouddesk, as by a user at the console, until the guest
    // (past the BIOS, listening) obeys ACPI and powers itself off: QEMU exits at its request.
    await waitFor(async () => {
      await qmp(join(dirOf(id), 'qmp.sock'), 'system_powerdown').catch(() => undefined);
      return machinesOf(id).length === 0;
    }, { what: 'the guest to power off', timeoutMs: 60_000, intervalMs: 500 });
    await until(id, DesktopStatus.STOPPED);
    const [last] = (await sdk.desktops.listOperations({ desktopId: id, pageSize: 1 })).operations;
    assert.deepEqual([last.description, last.done, last.error], ['Stop desktop', true, undefined], 'stopped the way a Stop stops it');
    const start = await waitDone(sdk, await sdk.desktops.start({ desktopId: id }), 60_000);
    assert.equal(start.error, undefined, start.error?.message);
    assert.equal(machinesOf(id).length, 1, 'it runs again');

    // SIGTERM also makes QEMU exit cleanly, but the host ended it, not the guest: ERROR.
    process.kill(Number(readFileSync(join(dirOf(id), 'qemu.pid'), 'utf8')), 'SIGTERM');
    await until(id, DesktopStatus.ERROR);
    assert.deepEqual(machinesOf(id), []);
  });
});
