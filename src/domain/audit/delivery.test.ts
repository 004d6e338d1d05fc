import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SqliteStore } from '../../storage/sqlite/sqlite-store.js';
import { openTempStore, type TempStore } from '../../storage/sqlite/temp-store.js';
import { AuditDelivery, backoffMs, type AuditSink } from './delivery.js';

let store: SqliteStore;
let temp: TempStore;
before(async () => {
  temp = await openTempStore('audit-delivery-');
  ({ store } = temp);
});
after(async () => {
  await temp.cleanup();
});

class MemorySink implements AuditSink {
  readonly got: string[] = [];
  calls = 0;
  constructor(readonly name: string, private failFirst = 0) {}
  async deliver(events: readonly string[]): Promise<void> {
    this.calls++;
    if (this.failFirst-- > 0) throw new Error('down');
    this.got.push(...events);
  }
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('AuditDelivery', () => {
  it('delivers every event in order to each sink; a failing sink is retried and holds back only itself', async () => {
    const good = new MemorySink('good');
    const flaky = new MemorySink('flaky', 3);
    const events = Array.from({ length: 250 }, (_, i) => `{"n":${i}}`);
    await store.transact(async (tx) => {
      for (const [i, e] of events.entries()) await tx.auditOutbox.append(e, `ev${i}`, 'op', ['good', 'flaky'], new Date());
    });
    const delivery = new AuditDelivery(store, [good, flaky], { retryBaseMs: 10, retryMaxMs: 40, pollMs: 20 });
    delivery.start();
    await until(() => good.got.length === 250);
    assert.ok(flaky.got.length < 250 || flaky.calls > 3);
    await until(() => flaky.got.length === 250);
    await delivery.stop();
    assert.deepEqual(good.got, events);
    assert.deepEqual(flaky.got, events);
    assert.equal(flaky.calls, 3 + 3, 'three failures, then three batches of at most 100');
    assert.deepEqual(await store.read((tx) => tx.auditOutbox.pendingBySink()), {});
  });

  it('backs off exponentially up to the cap', () => {
    assert.ok(backoffMs(1, 500, 30_000) <= 500 && backoffMs(1, 500, 30_000) >= 400);
    assert.ok(backoffMs(4, 500, 30_000) <= 4000 && backoffMs(4, 500, 30_000) >= 3200);
    assert.ok(backoffMs(40, 500, 30_000) <= 30_000 && backoffMs(40, 500, 30_000) >= 24_000);
  });
});
