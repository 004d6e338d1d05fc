/**
 * Repositories of the accountability tables: the audit outbox (events written in the
 * transaction of their change, delivered later per sink) and idempotency keys. Part of
 * `Repos` in store.ts; written once over SqlExecutor in storage/sql/audit-outbox.ts and
 * storage/sql/idempotency-keys.ts.
 *
 *   await store.transact(async (tx) => {
 *     await tx.operations.insert(op);
 *     await tx.auditOutbox.append(json, eventId, op.id, ['file', 'webhook'], now);
 *   });
 *   const batch = await store.read((tx) => tx.auditOutbox.pending('webhook', 100));
 */
import type { AuditEvent } from '../domain/audit/event.js';
import type { IdempotencyRecord, IdempotencyScope } from '../domain/idempotency/idempotency-keys.js';

export interface AuditOutboxRepo {
  /** Stores one event (JSON text), pending for each of `sinks`. */
  append(json: string, eventId: string, operationId: string, sinks: readonly string[], at: Date): Promise<void>;
  /** Oldest events not yet delivered to `sink`, in write order. */
  pending(sink: string, limit: number): Promise<{ seq: number; json: string }[]>;
  markDelivered(sink: string, seqs: readonly number[]): Promise<void>;
  /** How many events wait, per sink name (also for sinks no longer configured). */
  pendingBySink(): Promise<Record<string, number>>;
  /** Deletes events written before `before` that every sink has; returns how many. */
  prune(before: Date): Promise<number>;
  /** The STARTED event of an unfinished operation, kept to build its final event. */
  saveStarted(operationId: string, event: AuditEvent): Promise<void>;
  /** Returns and forgets it. */
  takeStarted(operationId: string): Promise<AuditEvent | undefined>;
}

export interface IdempotencyKeyRepo {
  get(scope: IdempotencyScope): Promise<IdempotencyRecord | undefined>;
  /**
   * Claims the key: inserts when it is free (`replacing` null), or replaces the record whose
   * claim is `replacing`. True when this claim won; false when another request got there first.
   */
  claim(
    scope: IdempotencyScope,
    rec: { requestHash: string; claim: string; createdAt: Date; leaseUntil: Date; expiresAt: Date },
    replacing: string | null,
  ): Promise<boolean>;
  /** Ties the operation to the key if `claim` still holds it and nothing is bound yet. */
  bind(scope: IdempotencyScope, claim: string, operationId: string): Promise<boolean>;
  /** Frees the key if `claim` holds it and no operation is bound. */
  release(scope: IdempotencyScope, claim: string): Promise<void>;
  purgeExpired(now: Date): Promise<number>;
}

export interface AuditRepos {
  auditOutbox: AuditOutboxRepo;
  idempotencyKeys: IdempotencyKeyRepo;
}
