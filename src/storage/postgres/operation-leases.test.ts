/**
 * Operation leases and the cluster on PostgreSQL: a live lease is never taken over, replicas
 * claiming at once split the work (SKIP LOCKED), a released or expired lease passes on, Cancel
 * is seen by the holder's renewal; the change feed, leadership and shared secrets span replicas.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PostgresStore } from './postgres-store.js';
import { PgCluster } from './pg-cluster.js';
import { createTempDatabase, type TempDatabase } from './temp-store.js';
import { STORAGE } from '../../resources.js';
import { newOperation } from '../../domain/operation/new-operation.js';
import { waitFor } from '../../../test/harness/wait.js';

const T0 = 1_800_000_000_000;
const at = (ms: number) => new Date(T0 + ms);
const clock = { now: () => at(0) };
const op = () =>
  newOperation(clock, {
    idPrefix: 'fd8', description: 'lease test', createdBy: 'tester', metadataType: 'm', metadataFields: {}, resourceId: 'r', folderId: 'f', kind: 'test.kind',
  });

describe('operation leases on PostgreSQL', () => {
  let db: TempDatabase;
  let a: PostgresStore;
  let b: PostgresStore;
  before(async () => {
    db = await createTempDatabase('leases');
    [a, b] = await Promise.all([PostgresStore.open(db.url, STORAGE), PostgresStore.open(db.url, STORAGE)]);
  });
  after(async () => {
    await a.close();
    await b.close();
    await db.drop();
  });

  it('a live lease is never claimed; an expired or released one is, and renewal tells the holder', async () => {
    const o = op();
    await a.transact((tx) => tx.operations.insert(o, { owner: 'rep-a', until: at(10_000) }));
    assert.deepEqual(await b.transact((tx) => tx.operations.claim('rep-b', at(5_000), at(20_000), 10)), []);
    const taken = await b.transact((tx) => tx.operations.claim('rep-b', at(10_001), at(20_000), 10));
    assert.deepEqual(taken.map((x) => x.id), [o.id]);
    assert.deepEqual((await a.transact((tx) => tx.operations.renew('rep-a', [o.id], at(30_000)))).held, [], 'rep-a lost it');
    assert.equal(await a.transact((tx) => tx.operations.requestCancel(o.id)), true);
    assert.deepEqual(await b.transact((tx) => tx.operations.renew('rep-b', [o.id], at(30_000))), { held: [o.id], cancelRequested: [o.id] });
    await b.transact((tx) => tx.operations.release('rep-b'));
    const again = await a.transact((tx) => tx.operations.claim('rep-a', at(11_000), at(40_000), 10));
    assert.deepEqual(again.map((x) => x.id), [o.id]);
    await a.transact((tx) => tx.operations.finish(o.id, { response: { type: 'google.protobuf.Empty' } }, at(12_000)));
    assert.deepEqual(await b.transact((tx) => tx.operations.claim('rep-b', at(99_000), at(100_000), 10)), [], 'done ones are never claimed');
  });

  it('replicas claiming at once split the expired operations between them, each to one', async () => {
    const ops = Array.from({ length: 12 }, op);
    await a.transact(async (tx) => {
      for (const o of ops) await tx.operations.insert(o);
    });
    const [byA, byB] = await Promise.all([
      a.transact((tx) => tx.operations.claim('rep-a', at(1), at(60_000), 8)),
      b.transact((tx) => tx.operations.claim('rep-b', at(1), at(60_000), 8)),
    ]);
    const ids = [...byA, ...byB].map((x) => x.id);
    assert.equal(new Set(ids).size, ids.length, 'no operation claimed twice');
    const rest = await a.transact((tx) => tx.operations.claim('rep-c', at(1), at(60_000), 20));
    assert.deepEqual(new Set([...ids, ...rest.map((x) => x.id)]), new Set(ops.map((o) => o.id)));
  });

  it('the cluster: notices reach the other replica, one leader at a time, one shared secret', async () => {
    const [ca, cb] = [await PgCluster.open(a, '/nonexistent'), await PgCluster.open(b, '/nonexistent')];
    try {
      const heard: (string | undefined)[] = [];
      cb.feed.subscribe('test.topic', (p) => heard.push(p));
      await ca.feed.publish('test.topic', 'hello world');
      await waitFor(() => heard.includes('hello world'), { what: 'the notice on the other replica', timeoutMs: 2000 });
      assert.equal(await ca.leads('job'), true);
      assert.equal(await cb.leads('job'), false);
      assert.equal(await ca.leads('job'), true);
      await ca.close();
      await waitFor(() => cb.leads('job'), { what: 'the role passing on when its holder goes', timeoutMs: 5000 });
      const [s1, s2] = await Promise.all([ca.secret('k'), cb.secret('k')]);
      assert.equal(s1.length, 32);
      assert.deepEqual(s1, s2);
    } finally {
      await ca.close();
      await cb.close();
    }
  });

  it('a notice written in a transaction is heard when it commits, and never when it rolls back', async () => {
    const cb = await PgCluster.open(b, '/nonexistent');
    try {
      const heard: (string | undefined)[] = [];
      cb.feed.subscribe('test.tx', (p) => heard.push(p));
      await assert.rejects(
        a.transact(async (tx) => {
          await tx.clusterNotices.publish('test.tx', 'rolled back');
          throw new Error('abort');
        }),
        /abort/,
      );
      let committed = false;
      await a.transact(async (tx) => {
        await tx.clusterNotices.publish('test.tx', 'committed');
        await new Promise((r) => setTimeout(r, 200)); // still open: nothing may be heard yet
        assert.deepEqual(heard, [], 'heard before the commit');
        committed = true;
      });
      await waitFor(() => heard.includes('committed'), { what: 'the committed notice', timeoutMs: 2000 });
      assert.ok(committed);
      await a.transact((tx) => tx.clusterNotices.publish('test.tx', 'x'.repeat(8000)));
      await waitFor(() => heard.includes(undefined), { what: 'a notice too long for NOTIFY heard as "drop everything"', timeoutMs: 2000 });
      assert.deepEqual(heard, ['committed', undefined], 'the rolled-back notice was never heard');
    } finally {
      await cb.close();
    }
  });
});
