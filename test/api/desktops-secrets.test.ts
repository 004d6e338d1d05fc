/**
 * Desktop passwords stay secret and desktop calls are audited (docs/decisions.md point 17, the
 * audit of point 9): after ResetPassword the password string is in no server log line, no audit
 * file and no byte of the database files; the audit holds ResetDesktopPassword and
 * GenerateDesktopRDPFile events and the STARTED+DONE pairs of every desktop operation. Also the
 * per-folder desktop and group quotas (RESOURCE_EXHAUSTED, before any Operation exists).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../harness/server.js';
import { sdkFor, waitDone, type SdkClients } from '../harness/sdk.js';
import { assertHolds, waitFor } from '../harness/wait.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { rejectsWith } from '../harness/assert-error.js';
import { operationEvents, readEvents, waitForEvents } from '../audit/audit-files.js';
import { internalErrors, Desktop, desktopKit, DesktopStatus, user, type DesktopKit } from '../harness/desktops.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Msg = any;
const EXHAUSTED = 8;

let server: RunningServer;
let sdk: SdkClients;
let src: ImageSource;
let kit: DesktopKit;
let auditDir: string;

before(async () => {
  // Quotas are per folder: each test below uses its own folder.
  server = await startServer({ args: ['--desktop-transition-ms', '20', '--quota-desktops-count', '1', '--quota-desktop-groups-count', '1'] });
  sdk = sdkFor(server);
  src = await startImageSource();
  kit = await desktopKit(sdk, src, 'f-secret');
  auditDir = join(server.dataDir, 'audit');
});

after(async () => {
  sdk.close();
  await src.close();
  await server.cleanup();
});

const bytesOf = (path: string) => (existsSync(path) ? readFileSync(path) : Buffer.alloc(0));

describe('desktop secrets and audit', () => {
  it('a reset password is in no log line, audit file or database byte; every desktop call is audited', async () => {
    const group = await kit.group({ name: 'secret' });
    const createOp = await sdk.desktops.create({ desktopGroupId: group.id, users: [user('alice')] });
    const desktopId = kit.desktopIdOf(createOp);
    await kit.until(desktopId, DesktopStatus.ACTIVE);
    await sdk.desktops.getRdpFile({ desktopId });
    const { password } = await sdk.desktops.resetPassword({ desktopId, user: user('alice') });
    assert.ok(password.length >= 16);
    const stopOp = await sdk.desktops.stop({ desktopId });
    await kit.until(desktopId, DesktopStatus.STOPPED);
    const startOp = await sdk.desktops.start({ desktopId });
    await kit.until(desktopId, DesktopStatus.ACTIVE);

    const groupOps = (await sdk.desktopGroups.listOperations({ desktopGroupId: group.id })).operations;
    for (const [op, name] of [[groupOps.at(-1), 'CreateDesktopGroup'], [createOp, 'CreateDesktop'], [stopOp, 'StopDesktop'], [startOp, 'StartDesktop']] as const) {
      const [started, final] = await operationEvents(auditDir, op.id);
      assert.equal(started.event_type, `yandex.cloud.audit.clouddesktop.${name}`);
      assert.equal(final.event_type, started.event_type);
      assert.deepEqual([started.event_status, final.event_status], ['STARTED', 'DONE'], name);
    }
    const events = await waitForEvents(auditDir, (evs) => ['ResetDesktopPassword', 'GenerateDesktopRDPFile']
      .every((n) => evs.some((e) => e.event_type === `yandex.cloud.audit.clouddesktop.${n}`)));
    const reset = events.find((e) => e.event_type === 'yandex.cloud.audit.clouddesktop.ResetDesktopPassword')!;
    assert.equal(reset.event_status, 'DONE');
    assert.equal(reset.details?.desktop_id, desktopId);

    // Give the WAL what it is going to get, then read every byte.
    await sdk.desktops.get({ desktopId });
    const secret = Buffer.from(password);
    assert.equal(JSON.stringify(server.logs).includes(password), false, 'the server log');
    for (const file of readdirSync(auditDir)) assert.equal(readFileSync(join(auditDir, file)).includes(secret), false, `audit file ${file}`);
    assert.equal(JSON.stringify(readEvents(auditDir)).includes(password), false);
    for (const f of ['clouddesk.db', 'clouddesk.db-wal']) {
      const bytes = bytesOf(join(server.dataDir, f));
      assert.equal(bytes.includes(secret), false, `${f} holds the password`);
      assert.equal(bytes.includes(Buffer.from(password, 'utf16le')), false, `${f} holds the password (UTF-16)`);
    }
    assert.ok(bytesOf(join(server.dataDir, 'clouddesk.db')).length + bytesOf(join(server.dataDir, 'clouddesk.db-wal')).length > 0, 'the database was read');
  });
});

describe('desktop quotas', () => {
  it('a second desktop in a folder limited to one is RESOURCE_EXHAUSTED; another folder is unaffected', async () => {
    const q = await desktopKit(sdk, src, 'f-quota-d');
    const g = await q.group({ name: 'quota' });
    await q.desktop(g.id);
    await rejectsWith(sdk.desktops.create({ desktopGroupId: g.id, users: [user('b')] }), EXHAUSTED, /^Quota limit vdi\.desktops\.count exceeded$/);
    const [first] = (await sdk.desktopGroups.listDesktops({ desktopGroupId: g.id })).desktops;
    assert.equal((await waitDone(sdk, await sdk.desktops.delete({ desktopId: first.id }))).error, undefined);
    assert.equal((await q.desktop(g.id)).status, DesktopStatus.ACTIVE, 'a deleted desktop frees its quota');
    const other = await desktopKit(sdk, src, 'f-quota-o');
    const desktop: Msg = await other.desktop((await other.group({ name: 'other' })).id);
    assert.equal(desktop.status, DesktopStatus.ACTIVE);
  });

  it('a standby handed out is not replaced beyond the folder\'s desktop quota', async () => {
    const q = await desktopKit(sdk, src, 'f-quota-s');
    const g = await q.group({ name: 'standby', groupConfig: { minReadyDesktops: 1, maxDesktopsAmount: 3 } });
    const listed = async (): Promise<Msg[]> => (await sdk.desktopGroups.listDesktops({ desktopGroupId: g.id })).desktops;
    const standbyId = await waitFor(async () => {
      const all = await listed();
      return all.length === 1 && all[0].status === DesktopStatus.ACTIVE && (all[0].id as string);
    }, { what: 'the ready standby desktop' });
    const taken = Desktop.decode((await waitDone(sdk, await sdk.desktops.create({ desktopGroupId: g.id, users: [user('a')] }))).response.value);
    assert.equal(taken.id, standbyId, 'Create handed out the standby');
    await assertHolds(async () => (await listed()).length === 1, { what: 'no replacement standby beyond vdi.desktops.count = 1', forMs: 1000 });
  });

  it('a second group in a folder limited to one is RESOURCE_EXHAUSTED', async () => {
    const q = await desktopKit(sdk, src, 'f-quota-g');
    const first = await q.group({ name: 'first' });
    await rejectsWith(sdk.desktopGroups.create({ folderId: q.folderId, desktopImageId: q.imageId, name: 'second' }), EXHAUSTED,
      /^Quota limit vdi\.desktopGroups\.count exceeded$/);
    assert.equal((await waitDone(sdk, await sdk.desktopGroups.delete({ desktopGroupId: first.id }))).error, undefined);
    assert.equal((await q.group({ name: 'second' })).name, 'second', 'a deleted group frees its quota');
  });
});

describe('no INTERNAL', () => {
  it('answered no call of this file INTERNAL or UNKNOWN', () => {
    assert.ok(server.logs.some((l) => l['msg'] === 'rpc'), 'the server logs its calls');
    assert.deepEqual(internalErrors(server.logs), []);
  });
});
