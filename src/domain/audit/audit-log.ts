/**
 * Writes audit events into the outbox, always inside the transaction of the change they
 * describe, so a change and its event commit together or not at all (docs/decisions.md point 14).
 * The delivery loop (delivery.ts) takes them from there to the sinks.
 *
 *   runner.onAccept((tx, op, caller, details) => audit.started(tx, op, caller, details));
 *   runner.onFinish((tx, op, outcome) => audit.finished(tx, op, outcome));
 *   await store.transact((tx) => audit.record(tx, caller, { folderId, details }));   // no Operation
 */
import type { Repos, Store } from '../store.js';
import type { Clock } from '../../clock.js';
import type { Caller } from '../caller.js';
import type { Operation, OperationError, OperationOutcome } from '../operation/operation.js';
import { ApiError, InvalidArgumentError, PermissionDeniedError } from '../errors.js';
import { loggers } from '../../logger.js';
import type { AuditCatalog, Details } from './event-types.js';
import { buildEvent, finalEvent, type AuditEvent, type EventStatus } from './event.js';

/** Records a change that has no Operation inside its transaction (the audit log, sections 3-4). */
export type ChangeRecorder = (
  tx: Repos,
  caller: Caller,
  change: { folderId: string; details: Details; response?: Record<string, unknown> },
) => Promise<void>;

export interface RecordInput {
  folderId: string;
  details: Details;
  /** DONE unless the change failed */
  status?: Exclude<EventStatus, 'STARTED'>;
  error?: OperationError;
  /** e.g. the id of what was made; the operation id for operation events */
  response?: Record<string, unknown>;
  /** false when IAM denied the call */
  authorized?: boolean;
}

export class AuditLog {
  /** STARTED events of operations that end in the transaction that started them (weak: a rolled-back one is let go). */
  private readonly endingNow = new WeakMap<Operation, AuditEvent>();

  /**
   * @param sinks names of the configured sinks; each event is pending for each of them
   * @param appended called after an event is written, to wake the delivery loop
   */
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly catalog: AuditCatalog,
    private readonly sinks: readonly string[],
    private readonly appended: () => void = () => {},
  ) {}

  /**
   * STARTED event of a new operation, in the transaction that inserts it. The final event is
   * built from it: kept in `audit_started` until then, or here when the operation ends in this
   * same transaction (`endsNow`).
   */
  async started(tx: Repos, op: Operation, caller: Caller, details: Details, endsNow = false): Promise<void> {
    const type = caller.request && this.catalog.eventTypeOf(caller.request.method);
    if (!type) return; // not an RPC (internal work): nothing to attribute
    const event = buildEvent({
      type, caller, folderId: op.folderId, status: 'STARTED', details, time: this.clock.now(), operationId: op.id,
    });
    if (endsNow) this.endingNow.set(op, event);
    else await tx.auditOutbox.saveStarted(op.id, event);
    await this.append(tx, event, op.id);
  }

  /** DONE / ERROR / CANCELLED event, in the transaction that finishes the operation. */
  async finished(tx: Repos, op: Operation, outcome: OperationOutcome): Promise<void> {
    const kept = this.endingNow.get(op);
    this.endingNow.delete(op);
    const started = kept ?? (await tx.auditOutbox.takeStarted(op.id));
    if (!started) return;
    const time = this.clock.now();
    const event =
      'response' in outcome
        ? finalEvent(started, { status: 'DONE', time, details: this.catalog.detailsOfResponse(outcome.response) })
        : finalEvent(started, { status: outcome.error.code === 1 ? 'CANCELLED' : 'ERROR', time, details: {}, error: outcome.error });
    await this.append(tx, event, op.id);
  }

  /** `record` as a ChangeRecorder, for use cases that change things without an Operation. */
  recorder(): ChangeRecorder {
    return (tx, caller, change) => this.record(tx, caller, change);
  }

  /** One event for a change made without an Operation (e.g. KeyService.Create), in its transaction. */
  async record(tx: Repos, caller: Caller, input: RecordInput): Promise<void> {
    const type = caller.request && this.catalog.eventTypeOf(caller.request.method);
    if (!type) return;
    const event = buildEvent({
      type, caller, folderId: input.folderId, status: input.status ?? 'DONE', details: input.details,
      time: this.clock.now(), authorized: input.authorized ?? true, ...(input.error ? { error: input.error } : {}),
    });
    if (input.response) event.response = input.response;
    await this.append(tx, event, '');
  }

  /**
   * An ERROR event for a mutating call refused before any Operation existed (permission,
   * quota, precondition...). Committed on its own; a failure to write it is logged, and the
   * caller still gets the original error.
   */
  async rejected(caller: Caller, err: unknown, folderId: string): Promise<void> {
    const error: OperationError =
      err instanceof ApiError
        ? { code: err.code, message: err.message, ...(err instanceof InvalidArgumentError ? { violations: err.violations } : {}) }
        : { code: 13, message: 'Internal error' };
    try {
      await this.store.transact((tx) =>
        this.record(tx, caller, { folderId, details: {}, status: 'ERROR', error, authorized: !(err instanceof PermissionDeniedError) }),
      );
    } catch (e) {
      loggers.operations.error({ err: e, method: caller.request?.method }, 'could not store audit event of a rejected call');
    }
  }

  private async append(tx: Repos, event: AuditEvent, operationId: string): Promise<void> {
    await tx.auditOutbox.append(JSON.stringify(event), event.event_id, operationId, this.sinks, this.clock.now());
    this.appended();
  }
}
