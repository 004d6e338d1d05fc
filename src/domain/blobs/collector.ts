/**
 * Removes blobs no image references any more. Images reference blobs by content address, so a
 * blob is shared by a Compute image and every desktop image copied from it; it goes only when
 * the last reference is gone. A blob that an import has committed but not yet recorded is
 * pinned so a concurrent collection cannot take it. At start-up `sweep` removes what a crash
 * left: temp files, and blobs committed by an import whose transaction never happened.
 *
 * A delete that fails (an S3 outage) is retried every few seconds by `startBackground`, which
 * also sweeps stale temp data now and then, since a temp file is only taken once it is stale:
 *
 *   const stop = collector.startBackground();   // on shutdown: stop()
 */
import type { BlobStore } from './blob-store.js';
import type { Store } from '../store.js';
import { loggers } from '../../logger.js';

export class BlobCollector {
  private readonly pins = new Map<string, number>();
  private inFlight = 0;
  private readonly deferred = new Set<string>();
  /** Unreferenced blobs whose delete failed; retried by the background loop. */
  private readonly failed = new Set<string>();

  constructor(private readonly store: Store, private readonly blobs: BlobStore) {}

  pin(sha256: string): () => void {
    this.pins.set(sha256, (this.pins.get(sha256) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.pins.get(sha256) ?? 1) - 1;
      if (n <= 0) this.pins.delete(sha256);
      else this.pins.set(sha256, n);
    };
  }

  /**
   * Runs an import: while any import is between committing its blob and recording it in an
   * image row, collection of unreferenced blobs waits, then runs for what was deferred.
   */
  async guard<T>(fn: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await fn();
    } finally {
      this.inFlight--;
      if (this.inFlight === 0 && this.deferred.size > 0) {
        const shas = [...this.deferred];
        this.deferred.clear();
        for (const sha of shas) await this.collect(sha);
      }
    }
  }

  /** Deletes the blob when nothing references or pins it. Never throws: a failure is retried later. */
  async collect(sha256: string | null): Promise<void> {
    if (!sha256 || this.pins.has(sha256)) return;
    if (this.inFlight > 0) {
      this.deferred.add(sha256);
      return;
    }
    try {
      const referenced = await this.store.read((tx) => tx.blobRefs.isReferenced(sha256));
      if (referenced || this.pins.has(sha256)) return;
      await this.blobs.delete(sha256);
      this.failed.delete(sha256);
      loggers.blobs.info({ sha256 }, 'blob removed: no image references it');
    } catch (err) {
      this.failed.add(sha256);
      loggers.blobs.warn({ err, sha256 }, 'blob removal failed; will retry');
    }
  }

  /**
   * Retries failed removals every `retryMs` and sweeps stale temp data every `sweepTempMs`;
   * returns the function that stops both. Ticks never overlap.
   */
  startBackground({ retryMs = 5_000, sweepTempMs = 600_000 } = {}): () => void {
    let busy = false;
    let ticks = 0;
    const tickMs = Math.min(retryMs, sweepTempMs);
    const sweepEvery = Math.max(1, Math.round(sweepTempMs / tickMs));
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      void (async () => {
        for (const sha of [...this.failed]) await this.collect(sha);
        if (++ticks % sweepEvery === 0) {
          const temp = await this.blobs.sweepTemp();
          if (temp) loggers.blobs.info({ temp }, 'stale temp data removed');
        }
      })()
        .catch((err: unknown) => loggers.blobs.warn({ err }, 'blob housekeeping failed'))
        .finally(() => (busy = false));
    }, tickMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  async sweep(): Promise<{ temp: number; orphans: number }> {
    const temp = await this.blobs.sweepTemp();
    const referenced = await this.store.read((tx) => tx.blobRefs.allReferenced());
    let orphans = 0;
    for await (const sha of this.blobs.list()) {
      if (!referenced.has(sha) && !this.pins.has(sha)) {
        await this.blobs.delete(sha);
        orphans++;
      }
    }
    if (temp || orphans) loggers.blobs.info({ temp, orphans }, 'start-up sweep removed leftovers');
    return { temp, orphans };
  }
}
