/**
 * Fairness limits of one download, beside the stall timeout: an overall deadline, a minimum
 * average rate over each window (a source that drips a byte a second never stalls, yet holds an
 * import slot for ever) and a free-disk floor under the blob directory. Any of them aborts the
 * guard's signal with a typed error as its reason; the HTTP exchange fails with that reason.
 *
 *   const guard = new TransferGuard(limits, { signal, freeBytes: () => blobs.freeBytes() });
 *   try {
 *     for await (const chunk of guard.count(source.body)) ...;   // pass guard.signal to the fetch
 *   } finally {
 *     guard.dispose();
 *   }
 */
import { DeadlineExceededError, ResourceExhaustedError } from '../domain/errors.js';

export interface TransferLimits {
  /** Longest a whole import may take. */
  readonly deadlineMs: number;
  /** Fewest bytes per second, averaged over each window; 0 turns the check off. */
  readonly minBytesPerSecond: number;
  readonly rateWindowMs: number;
  /** Imports fail when the blob directory has less free space than this. */
  readonly minFreeBytes: number;
}

export interface GuardInputs {
  /** The caller's signal (cancel, shutdown); its abort passes through. */
  readonly signal?: AbortSignal;
  /** Free bytes where blobs are written; checked at start and each window. */
  readonly freeBytes: () => Promise<number>;
}

export class TransferGuard {
  private readonly controller = new AbortController();
  private readonly deadline: NodeJS.Timeout;
  private readonly window: NodeJS.Timeout;
  private inWindow = 0;
  /** Bytes counted on another thread (countFrom): the running total, and its value at the last window. */
  private external: (() => number) | undefined;
  private externalSeen = 0;
  private readonly onOuterAbort = () => this.controller.abort(this.inputs.signal?.reason);

  constructor(private readonly limits: TransferLimits, private readonly inputs: GuardInputs) {
    inputs.signal?.addEventListener('abort', this.onOuterAbort, { once: true });
    if (inputs.signal?.aborted) this.onOuterAbort();
    this.deadline = setTimeout(
      () => this.abort(new DeadlineExceededError(`uri: import took longer than ${limits.deadlineMs} ms`)),
      limits.deadlineMs,
    );
    this.window = setInterval(() => void this.tick(), limits.rateWindowMs);
  }

  /** Aborted by the caller or by a limit; `reason` is the error to report. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Throws when the disk is already below the floor; call before fetching. */
  async checkSpace(): Promise<void> {
    const free = await this.inputs.freeBytes();
    if (free < this.limits.minFreeBytes) throw this.noSpace();
  }

  /** Passes `body` through, counting its bytes for the rate check. */
  async *count(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of body) {
      this.signal.throwIfAborted();
      this.inWindow += chunk.length;
      yield chunk;
    }
  }

  /** For a body read on another thread: `total()` is the bytes it has received so far, read at each window. */
  countFrom(total: () => number): void {
    this.external = total;
    this.externalSeen = total();
  }

  dispose(): void {
    clearTimeout(this.deadline);
    clearInterval(this.window);
    this.inputs.signal?.removeEventListener('abort', this.onOuterAbort);
  }

  private async tick(): Promise<void> {
    const { minBytesPerSecond, rateWindowMs } = this.limits;
    let received = this.inWindow;
    this.inWindow = 0;
    if (this.external) {
      const total = this.external();
      received += total - this.externalSeen;
      this.externalSeen = total;
    }
    if (minBytesPerSecond > 0 && (received * 1000) / rateWindowMs < minBytesPerSecond) {
      this.abort(new DeadlineExceededError(`uri: source sent less than ${minBytesPerSecond} bytes/s over ${rateWindowMs} ms`));
      return;
    }
    const free = await this.inputs.freeBytes().catch(() => Infinity);
    if (free < this.limits.minFreeBytes) this.abort(this.noSpace());
  }

  private abort(reason: Error): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }

  private noSpace(): ResourceExhaustedError {
    return new ResourceExhaustedError('uri: the server is low on disk space for images; try again later');
  }
}
