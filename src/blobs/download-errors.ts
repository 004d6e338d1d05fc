/**
 * The errors of a download, worded for the user who gave the URL. They name the field (`uri`),
 * never the URL itself: pre-signed URLs carry credentials in their query string.
 *
 *   req.on('error', (err) => reject(requestError(err, url)));
 *   // → UnavailableError "uri: the source could not be fetched" (the cause is logged)
 */
import { STATUS_CODES } from 'node:http';
import { CancelledError, FailedPreconditionError, ResourceExhaustedError, UnavailableError } from '../domain/errors.js';
import { loggers } from '../logger.js';
import { errCode } from './disk-io.js';
import { SourceRefusedError } from './fetch-policy.js';

/** A status that is not a success; timeouts, throttling and server errors may pass if retried. */
export function statusError(status: number, statusMessage: string | undefined): Error {
  const message = `uri: source answered HTTP ${status} ${STATUS_CODES[status] ?? statusMessage ?? ''}`.trimEnd();
  const transient = status === 408 || status === 429 || status >= 500;
  return transient ? new UnavailableError(message) : new FailedPreconditionError(message);
}

/** What the caller reads for every failure before a response: nothing to tell ports or services apart by. */
export const UNFETCHABLE = 'uri: the source could not be fetched';

/**
 * A failure before any response: a refused address, name resolution, connection, TLS, a
 * malformed answer. The caller gets one code and one message whatever it was, so an import URL
 * cannot map which internal ports are open, closed, TLS or not HTTP; the server log has the cause.
 */
export function requestError(err: unknown, url: URL): Error {
  const code = errCode(err) ?? (err instanceof SourceRefusedError ? 'REFUSED_BY_POLICY' : 'unknown error');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  // OpenSSL's reason ("wrong version number") says more than EPROTO does.
  const reason = /SSL routines:[^:]*:([^:]+):/.exec((err as Error | undefined)?.message ?? '')?.[1];
  loggers.blobs.warn({ host: url.hostname, port, code, reason: reason ?? (err as Error | undefined)?.message }, 'import source could not be fetched');
  return new UnavailableError(UNFETCHABLE, { cause: err });
}

/** A failure while the body streams, or a body shorter than its Content-Length. */
export function bodyError(err: unknown, received: number, contentLength: number | undefined): Error {
  const code = errCode(err);
  if (code?.startsWith('HPE_')) return new FailedPreconditionError(`uri: source sent an invalid HTTP body (${code})`, { cause: err });
  const of = contentLength === undefined ? '' : ` of ${contentLength}`;
  return new UnavailableError(`uri: connection closed after ${received}${of} bytes`, { cause: err });
}

/** A body, or a Content-Length, above the import's size limit. */
export function tooLarge(maxBytes: number): ResourceExhaustedError {
  return new ResourceExhaustedError(`uri: image is larger than the limit of ${maxBytes} bytes`);
}

/** The caller cancelled the import (operation cancel, shutdown). */
export function cancelled(): CancelledError {
  return new CancelledError('import cancelled');
}
