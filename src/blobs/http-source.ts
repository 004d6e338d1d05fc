/**
 * A GET of an http(s) URL as a stream of chunks, with each way a download can fail turned into a
 * typed error whose message a user can act on. Messages never quote the URL: pre-signed URLs carry
 * credentials in their query string.
 *
 *   const src = await openHttpSource(new URL(uri), { stallTimeoutMs: 30_000, signal });
 *   try {
 *     for await (const chunk of src.body) ...;  // throws on a stall, a short body, cancellation
 *   } finally {
 *     src.close();
 *   }
 */
import http from 'node:http';
import https from 'node:https';
import { CancelledError, DeadlineExceededError, FailedPreconditionError } from '../domain/errors.js';
import { bodyError, requestError, statusError, type ConnectPhase } from './download-errors.js';

export interface HttpSourceOptions {
  /** Longest wait for the connection, the headers or the next chunk of the body. */
  stallTimeoutMs: number;
  signal?: AbortSignal;
  maxRedirects?: number;
}

export interface HttpSource {
  /** Where the body comes from, after redirects. */
  url: URL;
  contentLength: number | undefined;
  /** Yields the body; ends only when all of it (all Content-Length bytes, if given) arrived. */
  body: AsyncIterable<Uint8Array>;
  /** Drops the connection; call it in any case when done. */
  close(): void;
}

/** Bytes read ahead of the consumer before the socket is paused. */
const QUEUE_BYTES = 256 * 1024;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export async function openHttpSource(url: URL, opts: HttpSourceOptions): Promise<HttpSource> {
  const maxRedirects = opts.maxRedirects ?? 5;
  for (let hop = 0; ; hop++) {
    const exchange = new Exchange(url, opts);
    const res = await exchange.response();
    const status = res.statusCode ?? 0;
    if (REDIRECTS.has(status)) {
      exchange.close();
      const location = res.headers.location;
      if (!location) throw new FailedPreconditionError(`${statusError(status, res.statusMessage).message} without a Location`);
      if (hop >= maxRedirects) throw new FailedPreconditionError(`uri: too many redirects (more than ${maxRedirects})`);
      const next = URL.canParse(location, url.href) ? new URL(location, url) : undefined;
      if (next?.protocol !== 'http:' && next?.protocol !== 'https:') {
        throw new FailedPreconditionError('uri: source redirected to a URL that is not http or https');
      }
      url = next;
      continue;
    }
    if (status < 200 || status > 299 || status === 206) {
      exchange.close();
      throw statusError(status, res.statusMessage);
    }
    const encoding = res.headers['content-encoding'];
    if (encoding && encoding.toLowerCase() !== 'identity') {
      exchange.close();
      throw new FailedPreconditionError(`uri: source sent a ${encoding}-encoded body, which is not supported`);
    }
    const length = res.headers['content-length'];
    const contentLength = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
    return { url, contentLength, body: exchange.body(contentLength), close: () => exchange.close() };
  }
}

/** One request and its response, with the stall timer and cancellation wired to both. */
class Exchange {
  private readonly req: http.ClientRequest;
  private failure: Error | undefined;
  private timer: NodeJS.Timeout | undefined;
  private phase: ConnectPhase = 'connecting';
  private readonly onAbort = () => this.fail(new CancelledError('import cancelled'));
  private queue: BodyQueue | undefined;

  constructor(private readonly url: URL, private readonly opts: HttpSourceOptions) {
    const client = url.protocol === 'https:' ? https : http;
    // agent: false gives a fresh connection that closes after the response, pooled by nobody.
    this.req = client.request(url, { agent: false, headers: { 'accept-encoding': 'identity', 'user-agent': 'clouddesk' } });
    this.req.on('error', () => undefined); // surfaced through response() and body()
    this.req.on('socket', (socket) => {
      socket.once('connect', () => (this.phase = url.protocol === 'https:' ? 'tls' : 'connected'));
      socket.once('secureConnect', () => (this.phase = 'connected'));
    });
    opts.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (opts.signal?.aborted) this.onAbort();
    this.arm();
    this.req.end();
  }

  response(): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      this.req.once('response', (res) => {
        this.disarm();
        this.queue = new BodyQueue(res);
        resolve(res);
      });
      this.req.once('error', (err) => {
        this.close();
        reject(this.failure ?? requestError(err, this.url, this.phase));
      });
    });
  }

  async *body(contentLength: number | undefined): AsyncGenerator<Uint8Array> {
    const q = this.queue!;
    try {
      for (;;) {
        if (this.failure) throw this.failure;
        const chunk = q.take();
        if (chunk) {
          yield chunk;
          continue;
        }
        if (q.ended) break;
        if (q.error !== undefined) throw bodyError(q.error, q.received, contentLength);
        this.arm();
        await q.wait();
        this.disarm();
      }
      if (contentLength !== undefined && q.received !== contentLength) throw bodyError(undefined, q.received, contentLength);
    } finally {
      this.close();
    }
  }

  close(): void {
    this.disarm();
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    if (!this.req.destroyed) this.req.destroy();
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.disarm();
    this.queue?.notify(); // a reader waiting for data sees the failure at once
    this.req.destroy(err);
  }

  private arm(): void {
    this.disarm();
    const ms = this.opts.stallTimeoutMs;
    this.timer = setTimeout(() => this.fail(new DeadlineExceededError(`uri: no data for ${ms} ms`)), ms);
  }

  private disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/**
 * A response body read in flowing mode into a bounded queue from the moment the headers arrive,
 * rather than through the stream's async iterator: when the connection drops, a paused stream
 * discards what it buffered, and the error should count every byte that arrived.
 */
class BodyQueue {
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
