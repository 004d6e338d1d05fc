/**
 * Idempotency keys at run time: the `deduplicate` interceptor claims a key and replays its
 * Operation; the runner's accept hook binds the key to the Operation in the transaction that
 * creates it (docs/decisions.md point 7).
 */
import type { Module } from '../module.js';
import type { Store } from '../domain/store.js';
import type { Clock } from '../clock.js';
import { IdempotencyKeys } from '../domain/idempotency/idempotency-keys.js';
import { idempotency } from '../api/interceptors/idempotency.js';
import type { OperationWire } from '../api/operation-wire.js';

export function idempotencyModule(d: { store: Store; clock: Clock; ttlMs: number; wire: OperationWire }): Module {
  const keys = new IdempotencyKeys(d.store, d.clock, { ttlMs: d.ttlMs });
  return {
    name: 'idempotency',
    hooks: {
      accept: async (tx, op, caller) => {
        if (caller.idempotency) await keys.bind(tx, caller.idempotency, op.id);
      },
    },
    interceptors: { deduplicate: idempotency(keys, d.wire) },
    async housekeeping(tx, now) {
      await tx.idempotencyKeys.purgeExpired(now);
    },
  };
}
