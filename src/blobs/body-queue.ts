import type http from 'node:http';

/** Bytes read ahead of the consumer before the socket is paused. */
const QUEUE_BYTES = 256 * 1024;

/**
 * A response body read in flowing mode into a bounded queue from the moment the headers arrive,
 * rather than through the stream's async iterator: when the connection drops, a paused stream
 * discards what it buffered, and the error should count every byte that arrived.
 */
export class BodyQueue {
  private readonly chunks: Buffer[] = [];
  private queued = 0;
  private wake: (() => void) | undefined;
  received = 0;
  ended = false;
  error: unknown;

  constructor(private readonly res: http.IncomingMessage) {
    res.on('data', (chunk: Buffer) => {
      this.received += chunk.length;
      this.chunks.push(chunk);
      this.queued += chunk.length;
      if (this.queued >= QUEUE_BYTES) res.pause();
      this.notify();
    });
    res.on('end', () => ((this.ended = true), this.notify()));
    res.on('error', (err) => ((this.error ??= err), this.notify()));
    res.on('close', () => ((this.error ??= new Error('premature close')), this.notify()));
  }

  take(): Buffer | undefined {
    const chunk = this.chunks.shift();
    if (chunk) this.queued -= chunk.length;
    if (this.queued < QUEUE_BYTES) this.res.resume();
    return chunk;
  }

  wait(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
