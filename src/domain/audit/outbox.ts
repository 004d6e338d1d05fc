/**
 * The audit outbox port: events are written in the transaction of their change and delivered
 * later, per sink. storage/sql/audit-outbox.ts implements it for both SQL dialects.
 *
 *   await store.transact(async (tx) => {
 *     await tx.operations.insert(op);
 *     await tx.auditOutbox.append(json, eventId, op.id, ['file', 'webhook'], now);
 *   });
 *   const batch = await store.read((tx) => tx.auditOutbox.pending('webhook', 100));
 */
import type { AuditEvent } from './event.js';

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

declare module '../store.js' {
  interface Repos {
    auditOutbox: AuditOutboxRepo;
  }
}
