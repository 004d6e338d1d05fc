/**
 * A GET of an http(s) URL as a stream of chunks, with each way a download can fail turned into a
 * typed error. Messages never quote the URL: pre-signed URLs carry credentials in their query
 * string. Every hop is checked by the fetch policy on the address its name resolved to, and the
 * connection goes to exactly that address (Host and SNI keep the name). A redirect may not
 * downgrade https to http, and userinfo in a Location is dropped, never sent. Whatever stops the
 * connection (refused, reset, DNS, TLS, not HTTP, a refused address) reads the same to the caller
 * (download-errors.ts); the detail is logged.
 *
 *   const src = await openHttpSource(new URL(uri), { stallTimeoutMs: 30_000, policy, signal });
 *   try {
 *     for await (const chunk of src.body) ...;  // throws on a stall, a short body, cancellation
 *   } finally {
 *     src.close();
 *   }
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { ApiError, CancelledError, DeadlineExceededError, FailedPreconditionError } from '../domain/errors.js';
import { bodyError, requestError, statusError } from './download-errors.js';
import type { FetchPolicy, ResolvedTarget } from './fetch-policy.js';
import { BodyQueue } from './body-queue.js';

export interface HttpSourceOptions {
  /** Longest wait for the connection, the headers or the next chunk of the body. */
  stallTimeoutMs: number;
  /** Checked for every hop before connecting. */
  policy: FetchPolicy;
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

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export async function openHttpSource(url: URL, opts: HttpSourceOptions): Promise<HttpSource> {
  const maxRedirects = opts.maxRedirects ?? 5;
  for (let hop = 0; ; hop++) {
    let target: ResolvedTarget;
    try {
      target = await opts.policy.resolve(url);
    } catch (err) {
      throw requestError(err, url);
    }
    const exchange = new Exchange(url, target, opts);
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
      if (url.protocol === 'https:' && next.protocol === 'http:') {
        throw new FailedPreconditionError('uri: source redirected from https to http, which is refused');
      }
      // Credentials in a Location would become Basic auth to wherever it points.
      next.username = '';
      next.password = '';
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
  private readonly onAbort = () => {
    const reason: unknown = this.opts.signal?.reason;
    this.fail(reason instanceof ApiError ? reason : new CancelledError('import cancelled'));
  };
  private queue: BodyQueue | undefined;

  constructor(private readonly url: URL, target: ResolvedTarget, private readonly opts: HttpSourceOptions) {
    const client = url.protocol === 'https:' ? https : http;
    // The name was resolved and checked once; connect to that address, whatever DNS says now.
    const pinned: LookupFunction = (_host, options, cb) => {
      if (options.all) cb(null, [target]);
      else cb(null, target.address, target.family);
    };
    // agent: false gives a fresh connection that closes after the response, pooled by nobody.
    // auth: null and no userinfo in the URL: no credentials are ever sent.
    this.req = client.request(url, {
      agent: false, lookup: pinned, auth: null,
      headers: { 'accept-encoding': 'identity', 'user-agent': 'clouddesk' },
    });
    this.req.on('error', () => undefined); // surfaced through response() and body()
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
        reject(this.failure ?? requestError(err, this.url));
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
