/**
 * What the runner tells the outside about operations, after each commit: metrics count them,
 * an emulator injects faults into them. Both are optional; the domain knows no metrics library.
 *
 *   runner.observe({ started: (op) => started.inc({ kind: op.kind }), finished: ... });
 *   runner.injectFaults(() => pending.takeForCurrentCall());
 */
import type { Operation } from './operation.js';

export type OperationOutcomeKind = 'done' | 'failed' | 'cancelled';

export interface OperationObserver {
  started(op: Operation): void;
  finished(op: Operation, outcome: OperationOutcomeKind): void;
}

/** A fault an emulator test asked for: fail the operation with `code`, or only delay it. */
export interface InjectedFault {
  /** gRPC code number; unset: the operation only waits `delayMs`, then runs. */
  readonly code?: number;
  readonly message: string;
  readonly delayMs: number;
}

/** Asked once per submitted operation, in the submitting call's async context. */
export type FaultSource = () => InjectedFault | undefined;
