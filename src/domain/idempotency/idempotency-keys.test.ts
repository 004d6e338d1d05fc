import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SqliteStore } from '../../storage/sqlite/sqlite-store.js';
import { openTempStore, type TempStore } from '../../storage/sqlite/temp-store.js';
import type { Operation } from '../operation/operation.js';
import { IdempotencyKeys } from './idempotency-keys.js';
import { CancelledError } from '../errors.js';

let store: SqliteStore;
let temp: TempStore;
let now = 1_700_000_000_000;
const clock = { now: () => new Date(now) };
const HOUR = 3_600_000;
const signal = new AbortController().signal;

function op(id: string): Operation {
  const at = new Date(now);
  return {
    id, description: 'd', createdAt: at, createdBy: 's', modifiedAt: at, done: false,
    metadata: { type: 'x.M', fields: {} }, kind: 'k', resourceId: 'r', folderId: 'f', params: {},
  };
}

before(async () => {
  temp = await openTempStore('idem-');
  ({ store } = temp);
});
after(async () => {
  await temp.cleanup();
});

describe('IdempotencyKeys', () => {
  const keys = () => new IdempotencyKeys(store, clock, { ttlMs: 24 * HOUR, leaseMs: 1000, pollMs: 5 });

  it('replays the bound operation, refuses another body, forgets the key after its TTL', async () => {
    const scope = { subjectId: 's', method: '/a.B/Copy', key: 'k1' };
    const first = await keys().begin(scope, 'h1', signal);
    assert.equal(first.kind, 'execute');
    if (first.kind !== 'execute') return;
    await store.transact(async (tx) => {
      await tx.operations.insert(op('op-1'));
      await keys().bind(tx, first.claim, 'op-1');
    });
    const replay = await keys().begin(scope, 'h1', signal);
    assert.equal(replay.kind === 'replay' && replay.operation.id, 'op-1');
    await assert.rejects(keys().begin(scope, 'h2', signal), /idempotency-key: Key was already used with a different request/);
    now += 24 * HOUR;
    assert.equal((await keys().begin(scope, 'h2', signal)).kind, 'execute');
  });

  it('makes a second request wait for the first, and lets it take over a claim whose lease ran out', async () => {
    const scope = { subjectId: 's', method: '/a.B/Copy', key: 'k2' };
    const first = await keys().begin(scope, 'h', signal);
    assert.equal(first.kind, 'execute');
    let settled = false;
    const second = keys().begin(scope, 'h', signal).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(settled, false, 'waits while the first holds the key');
    now += 1001; // the first never finished (a crashed process)
    const took = await second;
    assert.equal(took.kind, 'execute');
    // The first can no longer bind: its operation would be rolled back.
    if (first.kind !== 'execute') return;
    await assert.rejects(
      store.transact(async (tx) => {
        await tx.operations.insert(op('op-2'));
        await keys().bind(tx, first.claim, 'op-2');
      }),
      /taken over/,
    );
    assert.equal(await store.read((tx) => tx.operations.get('op-2')), undefined);
  });

  it('a request whose client goes away while waiting ends CANCELLED, not INTERNAL', async () => {
    const scope = { subjectId: 's', method: '/a.B/Copy', key: 'k-gone' };
    assert.equal((await keys().begin(scope, 'h', signal)).kind, 'execute');
    const gone = new AbortController();
    const waiting = keys().begin(scope, 'h', gone.signal);
    gone.abort();
    await assert.rejects(waiting, (e: unknown) => e instanceof CancelledError);
  });

  it('a released key can be claimed again', async () => {
    const scope = { subjectId: 's', method: '/a.B/Delete', key: 'k3' };
    const first = await keys().begin(scope, 'h', signal);
    if (first.kind !== 'execute') throw new Error('expected execute');
    await keys().release(first.claim);
    assert.equal((await keys().begin(scope, 'h', signal)).kind, 'execute');
  });
});
