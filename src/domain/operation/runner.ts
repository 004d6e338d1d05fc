/**
 * Advances stored operations. A use case commits the resource change and its Operation row
 * together, then hands the operation to the runner; the job does the work and commits the
 * outcome (resource state + Operation.response) in one transaction. A failure or a cancel
 * rolls back what the job made and stores Operation.error in one transaction. At start-up,
 * operations left unfinished by a crash are resumed or failed, per job kind.
 *
 * Replicas: each unfinished operation carries a lease (leases.ts). The replica that accepts an
 * operation holds it from the start; operations whose lease ran out (their replica died or
 * stopped) are claimed and resumed or failed per their job's `onRestart`, as after a crash. A
 * job whose lease was lost stops without finishing, and finishing checks the lease in its
 * transaction, so an operation runs on one replica at a time. Cancel reaches the owner through
 * the change feed (and the row's `cancel_requested`, seen at the next renewal).
 *
 * A change that is the whole work (a metadata row: nothing to fetch, build or wait for) may
 * also say how the operation ends (`Accepted.finish`): then it is finished in the transaction
 * that accepts it, with the same rows and hooks as a job's end, and no job runs. One commit
 * instead of two, and nothing left for a crash to interrupt. The RPC still answers with the
 * operation as accepted (done false), as the API does for every long-running call; the first
 * OperationService.Get finds it done.
 *
 * Lifecycle hooks add what must commit with an operation without the use cases knowing it:
 * `onAccept` runs in the transaction that inserts it (`runner.accept`), `onFinish` in the one
 * that finishes it (the audit STARTED and final events, the idempotency key).
 *
 *   runner.registerAll({ 'desktop-image.delete': deleteJob });
 *   const op = await runner.submit(caller, OPS.delete, async (tx) => { ...change...; return accepted; });
 */
import type { Repos, Store } from '../store.js';
import type { ChangeFeed } from '../cluster.js';
import { LeaseKeeper, LeaseLostError, type LeaseOptions } from './leases.js';
import type { Clock } from '../../clock.js';
import type { ResourceDescriptor } from '../resource.js';
import { newOperation } from './new-operation.js';
import { finishedOperation, type Operation, type OperationError, type OperationOutcome, type OperationResponse } from './operation.js';
import type { Caller } from '../caller.js';
import { ApiError, CancelledError, FailedPreconditionError, InvalidArgumentError, UnavailableError } from '../errors.js';
import { loggers } from '../../logger.js';
import type { FaultSource, InjectedFault, OperationObserver } from './observer.js';

export interface Job {
  /** Does the work; returns a step that commits the outcome inside the final transaction. */
  run(op: Operation, signal: AbortSignal): Promise<(tx: Repos) => Promise<OperationResponse>>;
  /** Undoes what the job made; runs in the transaction that stores `error` (code 1: cancelled). */
  rollback(tx: Repos, op: Operation, error: OperationError): Promise<void>;
  /** Called after a rollback or success commit, outside the transaction (e.g. blob GC). */
  afterCommit?(op: Operation): Promise<void>;
  /** Whether Cancel stops it (Copy, import) or it runs to its end (Update, Delete). */
  readonly cancellable: boolean;
  /** What start-up does with an operation a crash left unfinished. */
  readonly onRestart: 'resume' | 'fail';
}

/**
 * `details` name the resource the operation acts on (audit event `details`). `endsNow`: the
 * finish hooks run for it in this same transaction (Accepted.finish), so nothing needs keeping
 * for a later one.
 */
export type AcceptHook = (tx: Repos, op: Operation, caller: Caller, details: Record<string, unknown>, endsNow: boolean) => Promise<void>;
export type FinishHook = (tx: Repos, op: Operation, outcome: OperationOutcome) => Promise<void>;

/** What kind of operation a use case starts (constant per RPC). */
export interface OperationSpec {
  kind: string;
  /** The resource it acts on: its ids' prefix is the operation's. */
  resource: Pick<ResourceDescriptor<unknown>, 'idPrefix'>;
  description: string;
  metadataType: string;
  /** Metadata field (proto JSON name) that holds the resource id: `imageId`. */
  metadataId: string;
}

/** What the change of a submitted operation acted on. */
export interface Accepted {
  resourceId: string;
  folderId: string;
  /** Audit `details` of the STARTED event. */
  details: Record<string, unknown>;
  params?: Record<string, unknown>;
  /** Metadata fields (proto JSON names); default `{ [spec.metadataId]: resourceId }`. */
  metadataFields?: Record<string, string>;
  /**
   * When the change is the whole work: the step that ends the operation with its response, run
   * in the same transaction right after the operation is accepted (see the top of this file).
   * It must leave what the job's own final step would. Without it, the job runs.
   */
  finish?: (tx: Repos) => Promise<OperationResponse>;
}

export interface RunnerOptions extends LeaseOptions {
  /** Where Cancel tells the replica that runs an operation. */
  feed: ChangeFeed;
}

const CANCEL_TOPIC = 'operation.cancel';
/** How often a Cancel that reached another replica looks whether the operation ended. */
const CANCEL_POLL_MS = 100;

interface Running {
  abort: AbortController;
  fault?: InjectedFault;
  settled: Promise<void>;
  cancelRequested: boolean;
}

export class OperationRunner {
  private readonly jobs = new Map<string, Job>();
  private readonly running = new Map<string, Running>();
  private stopping = false;
  private readonly acceptHooks: AcceptHook[] = [];
  private readonly finishHooks: FinishHook[] = [];
  private readonly leases: LeaseKeeper;
  private readonly unsubscribe: () => void;
  private readonly observers: OperationObserver[] = [];
  private faults: FaultSource = { armed: () => false, take: () => undefined };

  constructor(private readonly store: Store, private readonly clock: Clock, private readonly opts: RunnerOptions) {
    this.unsubscribe = opts.feed.subscribe(CANCEL_TOPIC, (id) => {
      if (id !== undefined) this.abortForCancel(id);
    });
    this.leases = new LeaseKeeper(store, clock, opts, {
      runningIds: () => [...this.running.keys()],
      lost: (id) => {
        const entry = this.running.get(id);
        if (!entry || entry.abort.signal.aborted) return;
        loggers.operations.warn({ operationId: id }, 'operation lease lost to another replica; stopping here');
        entry.abort.abort(new LeaseLostError('lease lost'));
      },
      cancelRequested: (id) => this.abortForCancel(id),
      takeOver: (op) => this.takeOver(op),
    });
  }

  register(kind: string, job: Job): void {
    this.jobs.set(kind, job);
  }

  /** Registers a module's jobs, keyed by operation kind. */
  registerAll(jobs: Readonly<Record<string, Job>>): void {
    for (const [kind, job] of Object.entries(jobs)) this.register(kind, job);
  }

  onAccept(hook: AcceptHook): void {
    this.acceptHooks.push(hook);
  }

  onFinish(hook: FinishHook): void {
    this.finishHooks.push(hook);
  }

  /** Hears operations start and finish, after their transactions commit. */
  observe(observer: OperationObserver): void {
    this.observers.push(observer);
  }

  /** Emulator: where submitted operations look for a fault to end with. */
  injectFaults(source: FaultSource): void {
    this.faults = source;
  }

  /** Jobs running in this process now. */
  get runningCount(): number {
    return this.running.size;
  }

  /**
   * The one way a use case starts an operation: in one transaction, `change` makes the change
   * and says what it acts on; the Operation row and its accept hooks (audit STARTED, the
   * idempotency binding) commit with it; then the job starts.
   *
   *   return runner.submit(caller, OPS.delete, async (tx) => {
   *     ...checks and the change...
   *     return { resourceId: image.id, folderId: image.folderId, details: detailsOf(image) };
   *   });
   */
  async submit(caller: Caller, spec: OperationSpec, change: (tx: Repos) => Promise<Accepted>): Promise<Operation> {
    // An operation an injected fault waits for runs as a job, where the fault applies.
    const atOnce = !this.faults.armed();
    const { op, done } = await this.store.transact(async (tx) => {
      const accepted = await change(tx);
      const op = newOperation(this.clock, {
        kind: spec.kind,
        idPrefix: spec.resource.idPrefix,
        description: spec.description,
        metadataType: spec.metadataType,
        metadataFields: accepted.metadataFields ?? { [spec.metadataId]: accepted.resourceId },
        resourceId: accepted.resourceId,
        folderId: accepted.folderId,
        params: accepted.params,
        createdBy: caller.subjectId,
      });
      if (!accepted.finish || !atOnce) {
        await this.accept(tx, op, caller, accepted.details);
        return { op, done: false };
      }
      // The row goes in as finishing would leave it; the hooks see the same sequence as ever.
      const outcome = { response: await accepted.finish(tx) };
      await tx.operations.insert(finishedOperation(op, outcome, this.clock.now()));
      for (const hook of this.acceptHooks) await hook(tx, op, caller, accepted.details, true);
      for (const hook of this.finishHooks) await hook(tx, op, outcome);
      return { op, done: true };
    });
    if (done) {
      for (const o of this.observers) o.started(op);
      for (const o of this.observers) o.finished(op, 'done');
      loggers.operations.info({ operationId: op.id, kind: op.kind }, 'operation done');
      await this.jobs.get(op.kind)?.afterCommit?.(op).catch((err: unknown) => loggers.operations.warn({ err, operationId: op.id }, 'clean-up after an operation failed'));
      return op;
    }
    this.start(op, this.faults.take());
    for (const o of this.observers) o.started(op);
    return op;
  }

  /** Inserts a new operation inside the use case's transaction, with what commits with it. */
  async accept(tx: Repos, op: Operation, caller: Caller, details: Record<string, unknown>): Promise<void> {
    await tx.operations.insert(op, { owner: this.opts.replicaId, until: this.leases.end() });
    for (const hook of this.acceptHooks) await hook(tx, op, caller, details, false);
  }

  private start(op: Operation, fault?: InjectedFault): void {
    if (this.running.has(op.id) || this.stopping) return;
    const job = this.jobOf(op);
    const abort = new AbortController();
    const entry: Running = { abort, fault, settled: Promise.resolve(), cancelRequested: false };
    entry.settled = this.execute(job, op, entry).finally(() => this.running.delete(op.id));
    this.running.set(op.id, entry);
  }

  /**
   * Cancels a running cancellable operation and waits for it to settle: here, or on the replica
   * that runs it (told through the feed and the row), until it is done or a lease time passed.
   */
  async cancel(op: Operation): Promise<void> {
    if (op.done) throw new FailedPreconditionError(`Operation ${op.id} is already done`);
    const job = this.jobOf(op);
    if (!job.cancellable) return; // best effort, as the API design guide allows
    const entry = this.running.get(op.id);
    if (entry) {
      this.abortForCancel(op.id);
      await entry.settled;
      return;
    }
    if (!(await this.store.transact((tx) => tx.operations.requestCancel(op.id)))) return; // done meanwhile
    await this.opts.feed.publish(CANCEL_TOPIC, op.id).catch((err: unknown) => loggers.operations.warn({ err }, 'could not announce a cancel'));
    const until = Date.now() + 2 * this.opts.leaseMs;
    while (Date.now() < until && !this.stopping) {
      const now = await this.store.read((tx) => tx.operations.get(op.id));
      if (!now || now.done) return;
      await new Promise((r) => setTimeout(r, CANCEL_POLL_MS));
    }
  }

  /** Start-up: claim what a previous process left (its lease ran out), then keep leases in step. */
  recover(): Promise<number> {
    return this.leases.start();
  }

  /**
   * Shutdown: stop jobs without finishing their operations and end their leases, so another
   * replica (or the next start) resumes or fails them at once.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribe();
    await this.leases.stop();
    for (const entry of this.running.values()) entry.abort.abort(new UnavailableError('server is stopping'));
    await Promise.all([...this.running.values()].map((e) => e.settled));
    await this.leases.release();
  }

  private abortForCancel(id: string): void {
    const entry = this.running.get(id);
    if (!entry || entry.cancelRequested) return;
    entry.cancelRequested = true;
    entry.abort.abort(new CancelledError('Operation cancelled'));
  }

  /** An operation whose lease ran out is this replica's now: resumed or failed, per its job. */
  private async takeOver(op: Operation): Promise<void> {
    if (this.running.has(op.id) || this.stopping) return;
    const job = this.jobs.get(op.kind);
    if (job && job.onRestart === 'resume') {
      loggers.operations.info({ operationId: op.id, kind: op.kind }, 'resuming operation');
      this.start(op);
    } else {
      loggers.operations.warn({ operationId: op.id, kind: op.kind }, 'failing operation interrupted by a stop or a crash');
      await this.fail(job, op, new UnavailableError('Operation was interrupted by a server restart; please retry'));
    }
  }

  /** Emulator reset and restore: stops every job and leaves its operation as stored (its rows go next). */
  async halt(): Promise<void> {
    this.stopping = true;
    try {
      for (const entry of this.running.values()) entry.abort.abort(new UnavailableError('emulator reset'));
      await Promise.all([...this.running.values()].map((e) => e.settled));
    } finally {
      this.stopping = false;
    }
  }

  private jobOf(op: Operation): Job {
    const job = this.jobs.get(op.kind);
    if (!job) throw new Error(`no job registered for operation kind ${op.kind}`);
    return job;
  }

  private async execute(job: Job, op: Operation, entry: Running): Promise<void> {
    const log = loggers.operations.child({ operationId: op.id, kind: op.kind });
    try {
      if (entry.fault) await injected(entry.fault, entry.abort.signal);
      const commit = await job.run(op, entry.abort.signal);
      entry.abort.signal.throwIfAborted();
      const finished = await this.store.transact(async (tx) => {
        await this.leases.checkHeld(tx, op.id);
        const response = await commit(tx);
        return this.finish(tx, op, { response });
      });
      if (finished) for (const o of this.observers) o.finished(op, 'done');
      log.info('operation done');
      await job.afterCommit?.(op);
    } catch (err) {
      if ((this.stopping && !entry.cancelRequested) || err instanceof LeaseLostError || entry.abort.signal.reason instanceof LeaseLostError) {
        log.info('operation left to the replica that holds its lease');
        return;
      }
      const cause = entry.cancelRequested ? new CancelledError('Operation cancelled') : err;
      log.warn({ err: cause instanceof ApiError ? cause.message : err }, 'operation failed');
      await this.fail(job, op, cause);
    }
  }

  /** False when the operation was already done (nothing stored). */
  private async finish(tx: Repos, op: Operation, outcome: OperationOutcome): Promise<boolean> {
    if (!(await tx.operations.finish(op.id, outcome, this.clock.now()))) return false;
    for (const hook of this.finishHooks) await hook(tx, op, outcome);
    return true;
  }

  private async fail(job: Job | undefined, op: Operation, err: unknown): Promise<void> {
    const error = errorRecord(err);
    try {
      const finished = await this.store.transact(async (tx) => {
        await this.leases.checkHeld(tx, op.id);
        if (job) await job.rollback(tx, op, error);
        return this.finish(tx, op, { error });
      });
      if (finished) for (const o of this.observers) o.finished(op, error.code === 1 ? 'cancelled' : 'failed');
      await job?.afterCommit?.(op);
    } catch (e) {
      if (e instanceof LeaseLostError) return; // the replica that holds it now ends it
      loggers.operations.error({ err: e, operationId: op.id }, 'could not store operation failure');
    }
  }
}

/** Waits the fault's delay (or until aborted), then throws its error if it has one. */
async function injected(fault: InjectedFault, signal: AbortSignal): Promise<void> {
  if (fault.delayMs > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, fault.delayMs);
      signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
    });
    signal.throwIfAborted();
  }
  if (fault.code !== undefined) throw new InjectedError(fault.code, fault.message);
}

class InjectedError extends ApiError {
  override readonly name = 'InjectedError';
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

export function errorRecord(err: unknown): OperationError {
  if (err instanceof ApiError) {
    const rec: OperationError = { code: err.code, message: err.message };
    if (err instanceof InvalidArgumentError) rec.violations = err.violations;
    return rec;
  }
  loggers.operations.error({ err }, 'unexpected error in operation');
  return { code: 13, message: 'Internal error' };
}
