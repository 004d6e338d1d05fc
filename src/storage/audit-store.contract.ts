/**
 * The contract the audit outbox and idempotency key repositories pass on every Store:
 *
 *   auditStoreContract('SqliteStore', async () => ({ store: await SqliteStore.open(file), cleanup }));
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreUnderTest } from './store.contract.js';
import type { AuditEvent } from '../domain/audit/event.js';

const at = (ms: number) => new Date(1_700_000_000_000 + ms);

export function auditStoreContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`${name} audit store contract`, () => {
    let sut: StoreUnderTest;
    before(async () => {
      sut = await open();
    });
    after(async () => {
      await sut.cleanup();
    });

    it('keeps events pending per sink, in write order, until each sink has them', async () => {
      const { store } = sut;
      await store.transact(async (tx) => {
        for (const id of ['ev1', 'ev2', 'ev3']) await tx.auditOutbox.append(`{"event_id":"${id}"}`, id, 'op1', ['file', 'hook'], at(1));
      });
      const file = await store.read((tx) => tx.auditOutbox.pending('file', 2));
      assert.deepEqual(file.map((e) => e.json), ['{"event_id":"ev1"}', '{"event_id":"ev2"}']);
      await store.transact((tx) => tx.auditOutbox.markDelivered('file', file.map((e) => e.seq)));
      assert.deepEqual((await store.read((tx) => tx.auditOutbox.pending('file', 10))).map((e) => e.json), ['{"event_id":"ev3"}']);
      assert.equal((await store.read((tx) => tx.auditOutbox.pending('hook', 10))).length, 3);
      assert.deepEqual(await store.read((tx) => tx.auditOutbox.pendingBySink()), { file: 1, hook: 3 });
      // Only what every sink has is pruned, and only when old enough.
      await store.transact((tx) => tx.auditOutbox.markDelivered('hook', [file[0]!.seq]));
      assert.equal(await store.transact((tx) => tx.auditOutbox.prune(at(1))), 0);
      assert.equal(await store.transact((tx) => tx.auditOutbox.prune(at(2))), 1);
      assert.equal((await store.read((tx) => tx.auditOutbox.pending('hook', 10))).length, 2);
    });

    it('writes nothing from a transaction that rolls back', async () => {
      await assert.rejects(
        sut.store.transact(async (tx) => {
          await tx.auditOutbox.append('{}', 'ev-rolled-back', 'op2', ['other'], at(1));
          throw new Error('boom');
        }),
      );
      assert.deepEqual(await sut.store.read((tx) => tx.auditOutbox.pending('other', 10)), []);
    });

    it('keeps the STARTED event of an operation until it is taken once', async () => {
      const ev = { event_id: 'x', details: { a: 1 } } as unknown as AuditEvent;
      await sut.store.transact((tx) => tx.auditOutbox.saveStarted('op3', ev));
      assert.deepEqual(await sut.store.transact((tx) => tx.auditOutbox.takeStarted('op3')), ev);
      assert.equal(await sut.store.transact((tx) => tx.auditOutbox.takeStarted('op3')), undefined);
    });

    it('lets one claim hold an idempotency key, binds it once, releases only unbound keys', async () => {
      const { store } = sut;
      const scope = { subjectId: 's', method: '/a.B/C', key: 'k1' };
      const rec = (claim: string) => ({ requestHash: 'h', claim, createdAt: at(0), leaseUntil: at(10), expiresAt: at(100) });
      assert.equal(await store.transact((tx) => tx.idempotencyKeys.claim(scope, rec('c1'), null)), true);
      assert.equal(await store.transact((tx) => tx.idempotencyKeys.claim(scope, rec('c2'), null)), false);
      assert.equal(await store.transact((tx) => tx.idempotencyKeys.claim({ ...scope, subjectId: 'other' }, rec('c3'), null)), true);
      assert.equal(await store.transact((tx) => tx.idempotencyKeys.bind(scope, 'c2', 'op')), false);
      await store.transact((tx) => tx.idempotencyKeys.release(scope, 'c2'));
      assert.equal((await store.read((tx) => tx.idempotencyKeys.get(scope)))?.claim, 'c1');
      assert.equal(await store.transact((tx) => tx.idempotencyKeys.bind(scope, 'c1', 'op-1')), true);
      assert.equal(await store.transact((tx) => tx.idempotencyKeys.bind(scope, 'c1', 'op-2')), false);
      await store.transact((tx) => tx.idempotencyKeys.release(scope, 'c1'));
      assert.deepEqual(await store.read((tx) => tx.idempotencyKeys.get(scope)), {
        requestHash: 'h', operationId: 'op-1', claim: 'c1', leaseUntil: at(10), expiresAt: at(100),
      });
      // Replaced only by compare-and-swap on the claim.
      assert.equal(await store.transact((tx) => tx.idempotencyKeys.claim(scope, rec('c4'), 'c2')), false);
      assert.equal(await store.transact((tx) => tx.idempotencyKeys.claim(scope, rec('c4'), 'c1')), true);
      assert.equal((await store.read((tx) => tx.idempotencyKeys.get(scope)))?.operationId, null);
      assert.equal(await store.transact((tx) => tx.idempotencyKeys.purgeExpired(at(100))), 2);
      assert.equal(await store.read((tx) => tx.idempotencyKeys.get(scope)), undefined);
    });
  });
}
