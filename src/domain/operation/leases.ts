/**
 * Operation leases: which replica advances an unfinished operation, and until when (on the
 * operation row, through OperationRepo). The keeper renews this replica's leases every quarter
 * of `leaseMs` for three quarters of it (two renewals may fail before a lease runs out), and
 * looks for expired leases as often, so a dead replica's operations move within `leaseMs`. It tells the runner which ones another replica took (this one stalled past the expiry)
 * and which a Cancel flagged, and claims operations whose lease ran out (their replica died or
 * stopped), handing each to the runner to resume or fail. Finishing transactions call
 * `checkHeld`, so an operation is advanced by one replica at a time. On the embedded store
 * (`shared` false) only the start-up claim runs: no timer, no renewals, no checks.
 *
 *   const leases = new LeaseKeeper(store, clock, { replicaId, leaseMs }, runnerAsHolder);
 *   await leases.start();            // first claim round, then the timer
 *   await tx.operations.insert(op, { owner: replicaId, until: leases.end() });
 *   await leases.stop(); await leases.release();
 */
import type { Repos, Store } from '../store.js';
import type { Clock } from '../../clock.js';
import type { Operation } from './operation.js';
import { loggers } from '../../logger.js';

/** Operations one claiming round takes over. */
const CLAIM_BATCH = 20;

/** The lease of a running job was taken by another replica. */
export class LeaseLostError extends Error {}

export interface LeaseOptions {
  /** This replica: the owner of the leases it takes. */
  replicaId: string;
  /** How long a lease lasts without renewal: another replica takes over this long after a death. */
  leaseMs: number;
  /**
   * Whether other replicas share the store. When not (the embedded store, one process per data
   * dir), nothing can take a lease away: the keeper only claims at start and never renews.
   */
  shared: boolean;
}

/** What the keeper asks of the runner. */
export interface LeaseHolder {
  runningIds(): string[];
  /** Another replica holds it now: stop here without finishing. */
  lost(id: string): void;
  /** A Cancel flagged it on its row. */
  cancelRequested(id: string): void;
  /** Its lease ran out and is this replica's now: resume or fail it. */
  takeOver(op: Operation): Promise<void>;
}

export class LeaseKeeper {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    readonly opts: LeaseOptions,
    private readonly holder: LeaseHolder,
  ) {}

  /** When a lease taken or renewed now ends: three rounds on. */
  end(): Date {
    return new Date(this.clock.now().getTime() + Math.floor((this.opts.leaseMs * 3) / 4));
  }

  /** Claims what is left (a previous process's operations), then keeps leases in step; returns how many it claimed. */
  async start(): Promise<number> {
    const n = await this.claim();
    if (!this.opts.shared || this.timer) return n;
    this.timer = setInterval(() => {
      this.round = this.round.then(() => this.tick());
    }, Math.max(100, Math.floor(this.opts.leaseMs / 4)));
    this.timer.unref();
    return n;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.round;
  }

  /** Ends this replica's leases now, so another replica takes the operations over at once. */
  async release(): Promise<void> {
    await this.store
      .transact((tx) => tx.operations.release(this.opts.replicaId))
      .catch((err: unknown) => loggers.operations.warn({ err }, 'could not release operation leases; they run out on their own'));
  }

  /** Inside a finishing transaction: this replica still holds the lease (and keeps it). */
  async checkHeld(tx: Repos, id: string): Promise<void> {
    if (!this.opts.shared) return;
    const { held } = await tx.operations.renew(this.opts.replicaId, [id], this.end());
    if (held.length === 0) throw new LeaseLostError('lease lost');
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      const ids = this.holder.runningIds();
      if (ids.length > 0) {
        const state = await this.store.transact((tx) => tx.operations.renew(this.opts.replicaId, ids, this.end()));
        const held = new Set(state.held);
        for (const id of ids) if (!held.has(id)) this.holder.lost(id);
        for (const id of state.cancelRequested) this.holder.cancelRequested(id);
      }
      await this.claim();
    } catch (err) {
      loggers.operations.warn({ err }, 'operation lease round failed');
    }
  }

  private async claim(): Promise<number> {
    let total = 0;
    for (;;) {
      if (this.stopped) return total;
      const now = this.clock.now();
      const ops = await this.store.transact((tx) => tx.operations.claim(this.opts.replicaId, now, this.end(), CLAIM_BATCH));
      for (const op of ops) await this.holder.takeOver(op);
      total += ops.length;
      if (ops.length < CLAIM_BATCH) return total;
    }
  }
}
