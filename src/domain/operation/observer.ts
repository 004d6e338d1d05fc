/**
 * What the runner tells the outside about operations, after each commit: metrics count them,
 * an emulator injects faults into them. Both are optional; the domain knows no metrics library.
 *
 *   runner.observe({ started: (op) => started.inc({ kind: op.kind }), finished: ... });
 *   runner.injectFaults(faults);   // { armed(), take() } of the current call
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

/** Asked in the submitting call's async context. */
export interface FaultSource {
  /**
   * Whether a fault waits for this call (nothing spent). Asked before the submitting
   * transaction: an operation a fault waits for runs as a job even when its change could
   * finish it at once (runner.ts, `Accepted.finish`), so the fault applies as it always did.
   */
  armed(): boolean;
  /** The fault for this call, spending it; asked once per operation started as a job. */
  take(): InjectedFault | undefined;
}
