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
import { CancelledError, DeadlineExceededError, FailedPreconditionError, UnavailableError } from '../domain/errors.js';
import { errCode } from './disk-io.js';

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

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const TLS_ERROR = /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH)/;

export async function openHttpSource(url: URL, opts: HttpSourceOptions): Promise<HttpSource> {
  const maxRedirects = opts.maxRedirects ?? 5;
  for (let hop = 0; ; hop++) {
    const exchange = new Exchange(url, opts);
    const res = await exchange.response();
    const status = res.statusCode ?? 0;
    const answered = `uri: source answered HTTP ${status} ${http.STATUS_CODES[status] ?? res.statusMessage ?? ''}`.trimEnd();
    if (REDIRECTS.has(status)) {
      exchange.close();
      const location = res.headers.location;
      if (!location) throw new FailedPreconditionError(`${answered} without a Location`);
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
      const transient = status === 408 || status === 429 || status >= 500;
      throw transient ? new UnavailableError(answered) : new FailedPreconditionError(answered);
    }
    const encoding = res.headers['content-encoding'];
    if (encoding && encoding.toLowerCase() !== 'identity') {
      exchange.close();
      throw new FailedPreconditionError(`uri: source sent a ${encoding}-encoded body, which is not supported`);
    }
    const length = res.headers['content-length'];
    const contentLength = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
    return { url, contentLength, body: exchange.body(res, contentLength), close: () => exchange.close() };
  }
}

/** One request and its response, with the stall timer and cancellation wired to both. */
class Exchange {
  private readonly req: http.ClientRequest;
  private failure: Error | undefined;
  private timer: NodeJS.Timeout | undefined;
  private connected = false;
  private readonly onAbort = () => this.fail(new CancelledError('import cancelled'));

  constructor(private readonly url: URL, private readonly opts: HttpSourceOptions) {
    const client = url.protocol === 'https:' ? https : http;
    // agent: false gives a fresh connection that closes after the response, pooled by nobody.
    this.req = client.request(url, { agent: false, headers: { 'accept-encoding': 'identity', 'user-agent': 'clouddesk' } });
    this.req.on('error', () => undefined); // surfaced through response() and body()
    this.req.on('socket', (socket) => socket.once('connect', () => (this.connected = true)));
    opts.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (opts.signal?.aborted) this.onAbort();
    this.arm();
    this.req.end();
  }

  response(): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      this.req.once('response', (res) => {
        this.disarm();
        resolve(res);
      });
      this.req.once('error', (err) => reject(this.failure ?? requestError(err, this.url, this.connected)));
    });
  }

  async *body(res: http.IncomingMessage, contentLength: number | undefined): AsyncGenerator<Uint8Array> {
    const it = res[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    let received = 0;
    try {
      for (;;) {
        this.arm();
        let step: IteratorResult<Buffer>;
        try {
          step = await it.next();
        } catch (err) {
          throw this.failure ?? bodyError(err, received, contentLength);
        } finally {
          this.disarm();
        }
        if (this.failure) throw this.failure;
        if (step.done) break;
        received += step.value.length;
        yield step.value;
      }
      if (contentLength !== undefined && received !== contentLength) throw bodyError(undefined, received, contentLength);
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

function requestError(err: unknown, url: URL, connected: boolean): Error {
  const code = errCode(err) ?? 'unknown error';
  const where = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  if (/^(ENOTFOUND|EAI_)/.test(code)) return new UnavailableError(`uri: cannot resolve host ${url.hostname} (${code})`, { cause: err });
  if (TLS_ERROR.test(code)) return new FailedPreconditionError(`uri: TLS connection to ${where} failed (${code})`, { cause: err });
  if (code.startsWith('HPE_')) return new FailedPreconditionError(`uri: ${where} sent an invalid HTTP response (${code})`, { cause: err });
  if (connected) return new UnavailableError(`uri: ${where} closed the connection without answering (${code})`, { cause: err });
  return new UnavailableError(`uri: cannot connect to ${where} (${code})`, { cause: err });
}

function bodyError(err: unknown, received: number, contentLength: number | undefined): Error {
  const code = errCode(err);
  if (code?.startsWith('HPE_')) return new FailedPreconditionError(`uri: source sent an invalid HTTP body (${code})`, { cause: err });
  const of = contentLength === undefined ? '' : ` of ${contentLength}`;
  return new UnavailableError(`uri: connection closed after ${received}${of} bytes`, { cause: err });
}
