/**
 * Several replicas behind one address: two `clouddesk serve` processes on one PostgreSQL
 * database (made and dropped by this test) and one shared blob directory. Any request may reach
 * either: what one makes the other reads and lists, page tokens travel, quotas and idempotency
 * keys hold across them, a revoked token is refused by both, and when one dies by SIGKILL the
 * other finishes its operations. PostgreSQL pass only (scripts/run-tests.mjs).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../harness/server.js';
import { compute, sdkFor, waitDone, type SdkClients } from '../harness/sdk.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { failureOf } from '../harness/assert-error.js';
import { createIdentity } from '../harness/iam.js';
import { waitFor } from '../harness/wait.js';
import { eventsOf, readEvents, withMetadata } from '../audit/audit-files.js';
import { createTempDatabase, type TempDatabase } from '../../src/storage/postgres/temp-store.js';

const LEASE_MS = 2000;
const run = (process.env['CLOUDDESK_TEST_RUN'] || 'local').toLowerCase().replace(/[^a-z0-9]/g, '');

let db: TempDatabase;
let blobDir: string;
let src: ImageSource;
let a: RunningServer;
let b: RunningServer;
let sdkA: SdkClients;
let sdkB: SdkClients;
let computeId: string;

const replica = () =>
  startServer({ args: ['--database', db.url, '--blob-store', blobDir, '--operation-lease-ms', String(LEASE_MS), '--quota-desktop-images-count', '3'] });

before(async () => {
  db = await createTempDatabase(run);
  blobDir = mkdtempSync(join(tmpdir(), 'clouddesk-replica-blobs-'));
  src = await startImageSource();
  [a, b] = [await replica(), await replica()];
  [sdkA, sdkB] = [sdkFor(a), sdkFor(b)];
  const op = await waitDone(sdkA, await sdkA.images.create({ folderId: 'rep-src', name: 'base', uri: src.url('/raw?size=65536') }));
  computeId = compute.image.Image.decode(op.response.value).id;
});

after(async () => {
  sdkA.close();
  sdkB.close();
  await a.cleanup();
  await b.cleanup();
  await src.close();
  await db.drop();
  rmSync(blobDir, { recursive: true, force: true });
});

describe('two replicas on one database', () => {
  it('what A makes, B reads and lists; a page token from A works on B', async () => {
    const image = await sdkB.images.get({ imageId: computeId });
    assert.equal(image.name, 'base');
    for (const name of ['p1', 'p2', 'p3']) await waitDone(sdkA, await sdkA.desktopImages.copy({ folderId: 'rep-pages', name, imageId: computeId }));
    const first = await sdkA.desktopImages.list({ folderId: 'rep-pages', pageSize: 2 });
    assert.equal(first.desktopImages.length, 2);
    assert.ok(first.nextPageToken);
    const second = await sdkB.desktopImages.list({ folderId: 'rep-pages', pageSize: 2, pageToken: first.nextPageToken });
    assert.deepEqual(second.desktopImages.map((i: { name: string }) => i.name), ['p3']);
    assert.equal(second.nextPageToken, '');
  });

  it('8 concurrent Copies at the last quota slot, split across A and B: exactly one wins', async () => {
    for (const name of ['a', 'b']) await waitDone(sdkA, await sdkA.desktopImages.copy({ folderId: 'rep-quota', name, imageId: computeId }));
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? sdkA : sdkB).desktopImages.copy({ folderId: 'rep-quota', name: `race-${i}`, imageId: computeId })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected').map((r) => failureOf((r as PromiseRejectedResult).reason));
    assert.equal(ok.length, 1, JSON.stringify(refused));
    assert.deepEqual(new Set(refused.map((f) => f.code)), new Set([8]));
    assert.equal((await sdkB.desktopImages.list({ folderId: 'rep-quota' })).desktopImages.length, 3);
  });

  it('one Idempotency-Key sent to A and B at once: one operation, one resource', async () => {
    const key = randomUUID();
    const req = { folderId: 'rep-idem', name: 'once', imageId: computeId };
    const ops = await Promise.all(
      [sdkA, sdkB, sdkA, sdkB].map((sdk, i) => sdk.desktopImages.copy(req, withMetadata(i % 2 ? b.token : a.token, { 'idempotency-key': key }))),
    );
    assert.equal(new Set(ops.map((o: { id: string }) => o.id)).size, 1);
    await waitDone(sdkB, ops[0]);
    assert.equal((await sdkA.desktopImages.list({ folderId: 'rep-idem' })).desktopImages.length, 1);
  });

  it('a service account deleted on A: its token is refused by B within 1 s', async () => {
    const id = await createIdentity(sdkA, { name: 'rep-revoked', grants: [['rep-iam', 'vdi.viewer']] });
    const asB = sdkFor(b, id.token);
    try {
      await asB.desktopImages.list({ folderId: 'rep-iam' }); // B now has the token cached
      await waitDone(sdkA, await sdkA.serviceAccounts.delete({ serviceAccountId: id.serviceAccountId }));
      const deleted = Date.now();
      await waitFor(
        async () => {
          try {
            await asB.desktopImages.list({ folderId: 'rep-iam' });
            return false;
          } catch (err) {
            return failureOf(err).code === 16;
          }
        },
        { what: 'B refusing the revoked token', timeoutMs: 1000 },
      );
      assert.ok(Date.now() - deleted <= 1000);
    } finally {
      asB.close();
    }
  });

  it('one replica at a time delivers the audit log: every event once, whichever replica made it', async () => {
    const [onA, onB] = [
      await sdkA.desktopImages.copy({ folderId: 'rep-audit', name: 'from-a', imageId: computeId }),
      await sdkB.desktopImages.copy({ folderId: 'rep-audit', name: 'from-b', imageId: computeId }),
    ];
    await waitDone(sdkA, onA);
    await waitDone(sdkB, onB);
    const delivered = () => [...readEvents(join(a.dataDir, 'audit')), ...readEvents(join(b.dataDir, 'audit'))];
    await waitFor(() => [onA, onB].every((op) => eventsOf(delivered(), op.id).length === 2), { what: 'STARTED and DONE of both Copies' });
    const ids = delivered().map((e) => e.event_id as string);
    assert.equal(new Set(ids).size, ids.length, 'no event delivered by both replicas');
    const writers = [a, b].filter((r) => readEvents(join(r.dataDir, 'audit')).length > 0);
    assert.equal(writers.length, 1, 'one replica delivers');
  });

  it('Cancel sent to B stops an import running on A', async () => {
    const url = '/slow?size=8388608&cancel';
    const op = await sdkA.images.create({ folderId: 'rep-cancel', name: 'stopped', uri: src.url(url) });
    await src.sent(url, 1);
    const cancelled = await sdkB.operations.cancel({ operationId: op.id });
    assert.equal(cancelled.done, true);
    assert.equal(cancelled.error?.code, 1, JSON.stringify(cancelled.error));
    assert.equal((await sdkA.images.list({ folderId: 'rep-cancel' })).images.length, 0, 'the rollback removed the image');
  });

  it('a replica stopped by SIGTERM hands its operations over at once (leases released), not after the lease', async () => {
    const longLease = 20_000;
    const c = await startServer({ args: ['--database', db.url, '--blob-store', blobDir, '--operation-lease-ms', String(longLease)] });
    const sdkC = sdkFor(c);
    try {
      const url = '/slow?size=2097152&drain';
      const op = await sdkC.images.create({ folderId: 'rep-drain', name: 'handed-over', uri: src.url(url) });
      await src.sent(url, 1);
      const stopped = Date.now();
      assert.equal(await c.stop('SIGTERM'), 0);
      assert.ok(c.logs.some((l) => l['msg'] === 'clouddesk stopped'));
      const done = await waitDone(sdkB, op, longLease);
      assert.equal(done.error, undefined, JSON.stringify(done.error));
      assert.ok(Date.now() - stopped < longLease / 2, `taken over ${Date.now() - stopped} ms after SIGTERM`);
    } finally {
      sdkC.close();
      await c.cleanup();
    }
  });

  it('an import running on A when A is killed: B takes it over after the lease and finishes it', async () => {
    const url = '/slow?size=2097152';
    const op = await sdkA.images.create({ folderId: 'rep-takeover', name: 'moved', uri: src.url(url) });
    await src.sent(url, 1);
    await a.kill();
    const killed = Date.now();
    const done = await waitDone(sdkB, op, 30_000);
    assert.equal(done.error, undefined, JSON.stringify(done.error));
    assert.equal(compute.image.Image.decode(done.response.value).status, compute.image.Image_Status.READY);
    const resumed = b.logs.find((l) => l['msg'] === 'resuming operation' && l['operationId'] === op.id);
    assert.ok(resumed, 'B resumed the operation');
    const after = Date.parse(String(resumed['time'])) - killed;
    assert.ok(after <= LEASE_MS + 300, `taken over ${after} ms after the kill, within the lease`);
    assert.ok(after >= LEASE_MS / 2 - 300, `taken over ${after} ms after the kill: a live lease is not taken`);
  });
});
