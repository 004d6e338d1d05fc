/**
 * Idempotency keys (docs/decisions.md point 7). A key is scoped to caller + method + key and kept
 * `ttlMs` (24 h by default). The first request claims it with a row (the primary key makes the
 * claim exclusive, across processes too); the use case binds the Operation it creates to the
 * claim in the same transaction. Later requests with the key get that Operation re-read in its
 * current state, wait while the first is still in flight, or are INVALID_ARGUMENT when their
 * body differs. A request that fails before creating an Operation releases the key.
 *
 *   const step = await keys.begin(scope, requestHash, signal);
 *   if (step.kind === 'replay') return step.operation;
 *   try { ...handler (binds via runner.accept)... } catch (e) { await keys.release(step.claim); throw e; }
 */
import { randomUUID } from 'node:crypto';
import type { Repos, Store } from '../store.js';
import type { Clock } from '../../clock.js';
import type { IdempotencyClaim } from '../caller.js';
import type { Operation } from '../operation/operation.js';
import { AbortedError, InvalidArgumentError, CancelledError } from '../errors.js';

export const IDEMPOTENCY_FIELD = 'idempotency-key';

export interface IdempotencyScope {
  subjectId: string;
  method: string;
  key: string;
}

export interface IdempotencyRecord {
  requestHash: string;
  operationId: string | null;
  claim: string;
  leaseUntil: Date;
  expiresAt: Date;
}

export type BeginResult = { kind: 'execute'; claim: IdempotencyClaim } | { kind: 'replay'; operation: Operation };

export interface IdempotencyOptions {
  ttlMs: number;
  /** How long a claim without an Operation holds the key before another request may take it over (a crashed holder). */
  leaseMs?: number;
  pollMs?: number;
}

export class IdempotencyKeys {
  constructor(private readonly store: Store, private readonly clock: Clock, private readonly opts: IdempotencyOptions) {}

  async begin(scope: IdempotencyScope, requestHash: string, signal: AbortSignal): Promise<BeginResult> {
    for (;;) {
      // The client went away while another request with its key was in flight.
      if (signal.aborted) throw new CancelledError('Request cancelled by the client while the same idempotency key was in use');
      const now = this.clock.now();
      const row = await this.store.read((tx) => tx.idempotencyKeys.get(scope));
      if (row && row.expiresAt > now) {
        if (row.requestHash !== requestHash) {
          throw InvalidArgumentError.field(IDEMPOTENCY_FIELD, 'Key was already used with a different request');
        }
        if (row.operationId) {
          const id = row.operationId;
          const operation = await this.store.read((tx) => tx.operations.get(id));
          if (operation) return { kind: 'replay', operation };
        } else if (row.leaseUntil > now) {
          await sleep(this.opts.pollMs ?? 20, signal);
          continue;
        }
      }
      // Free, expired, its Operation purged, or its holder gone past the lease: claim it.
      const claim: IdempotencyClaim = { ...scope, claim: randomUUID() };
      const won = await this.store.transact((tx) =>
        tx.idempotencyKeys.claim(
          scope,
          {
            requestHash,
            claim: claim.claim,
            createdAt: now,
            leaseUntil: new Date(now.getTime() + (this.opts.leaseMs ?? 60_000)),
            expiresAt: new Date(now.getTime() + this.opts.ttlMs),
          },
          row?.claim ?? null,
        ),
      );
      if (won) return { kind: 'execute', claim };
    }
  }

  /** In the use case transaction that inserts `operationId`: ties the key to it, or aborts. */
  async bind(tx: Repos, claim: IdempotencyClaim, operationId: string): Promise<void> {
    if (!(await tx.idempotencyKeys.bind(claim, claim.claim, operationId))) {
      throw new AbortedError(`${IDEMPOTENCY_FIELD}: the key was taken over by another request; retry with the same key`);
    }
  }

  /** After a handler that created an Operation without binding it itself (no-op when bound). */
  async bindAfter(claim: IdempotencyClaim, operationId: string): Promise<void> {
    await this.store.transact((tx) => tx.idempotencyKeys.bind(claim, claim.claim, operationId));
  }

  /** The request failed before creating an Operation: the key is free for a retry. */
  async release(claim: IdempotencyClaim): Promise<void> {
    await this.store.transact((tx) => tx.idempotencyKeys.release(claim, claim.claim));
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
