/**
 * Delivers outbox events to the sinks, at least once. Each sink has its own loop: read the
 * oldest events not yet delivered to it, hand them over, and only then mark them delivered.
 * A sink that fails is retried with capped exponential backoff and holds back only itself;
 * nothing is dropped. A crash between hand-over and marking delivers the batch again after
 * restart, which is what "at least once" allows. Loops start at boot, so events committed
 * just before a crash go out when the server comes back. With several replicas, one delivers
 * at a time (`delivers`, a leadership that passes on when its holder dies); the others wait.
 *
 *   const delivery = new AuditDelivery(store, [fileSink, webhookSink], { retryMaxMs: 30_000 });
 *   delivery.start();  ...  delivery.wake();  ...  await delivery.stop();
 */
import type { Store } from '../store.js';
import { loggers } from '../../logger.js';

/** Where events go. `deliver` resolves only once the sink holds them durably. */
export interface AuditSink {
  /** Stable name; delivery is tracked per name (`file`, `stdout`, `webhook`). */
  readonly name: string;
  /** Each line is one event as JSON. */
  deliver(events: readonly string[], signal: AbortSignal): Promise<void>;
}

export interface DeliveryOptions {
  batchSize?: number;
  retryBaseMs?: number;
  retryMaxMs: number;
  /** How often an idle loop looks for events written by another process. */
  pollMs?: number;
  /** Whether this process delivers now; default always (one process). */
  delivers?: () => Promise<boolean>;
  /** Hears each failed hand-over to a sink (metrics). */
  onFailure?: (sink: string) => void;
}

const log = loggers.operations.child({ component: 'audit-delivery' });

export class AuditDelivery {
  private readonly abort = new AbortController();
  private readonly wakers = new Set<() => void>();
  private loops: Promise<void>[] = [];
  private waking: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly sinks: readonly AuditSink[],
    private readonly opts: DeliveryOptions,
  ) {}

  start(): void {
    this.loops = this.sinks.map((sink) => this.loop(sink));
  }

  /** Something was written: look soon (after the writing transaction has committed). */
  wake(): void {
    // One timer for all the events written meanwhile (a Copy writes two, a busy server hundreds).
    if (this.waking) return;
    this.waking = setTimeout(() => {
      this.waking = undefined;
      for (const w of [...this.wakers]) w();
    }, 5);
    this.waking.unref();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    for (const w of [...this.wakers]) w();
    await Promise.all(this.loops);
  }

  private async loop(sink: AuditSink): Promise<void> {
    const signal = this.abort.signal;
    const batchSize = this.opts.batchSize ?? 100;
    let failures = 0;
    while (!signal.aborted) {
      let batch: { seq: number; json: string }[];
      try {
        if (this.opts.delivers && !(await this.opts.delivers())) {
          await this.sleep(this.opts.pollMs ?? 500, false);
          continue;
        }
        batch = await this.store.read((tx) => tx.auditOutbox.pending(sink.name, batchSize));
      } catch (err) {
        log.warn({ err, sink: sink.name }, 'could not read the audit outbox');
        await this.sleep(this.opts.pollMs ?? 500);
        continue;
      }
      if (batch.length === 0) {
        await this.sleep(this.opts.pollMs ?? 500);
        continue;
      }
      try {
        await sink.deliver(batch.map((b) => b.json), signal);
        await this.store.transact((tx) => tx.auditOutbox.markDelivered(sink.name, batch.map((b) => b.seq)));
        if (failures > 0) log.info({ sink: sink.name, failures }, 'audit sink recovered');
        failures = 0;
      } catch (err) {
        if (signal.aborted) break;
        failures++;
        this.opts.onFailure?.(sink.name);
        const delay = backoffMs(failures, this.opts.retryBaseMs ?? 500, this.opts.retryMaxMs);
        log.warn({ sink: sink.name, pending: batch.length, failures, retryInMs: delay, err: messageOf(err) }, 'audit delivery failed; will retry');
        await this.sleep(delay, false);
      }
    }
  }

  /** Waits `ms`, or less when woken (unless `wakeable` is false) or stopped. */
  private sleep(ms: number, wakeable = true): Promise<void> {
    if (this.abort.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        this.abort.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.abort.signal.addEventListener('abort', done);
      if (wakeable) this.wakers.add(done);
    });
  }
}

/** base * 2^(n-1), capped, with up to 20% jitter so many servers do not retry in step. */
export function backoffMs(failures: number, baseMs: number, maxMs: number): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 30));
  return Math.round(raw * (0.8 + Math.random() * 0.2));
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
