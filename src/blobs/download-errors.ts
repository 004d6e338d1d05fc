/**
 * The errors of a download, worded for the user who gave the URL. They name the field (`uri`) and
 * the host, never the URL itself: pre-signed URLs carry credentials in their query string.
 *
 *   req.on('error', (err) => reject(requestError(err, url, phase)));
 *   // → UnavailableError "uri: cannot connect to 10.0.0.5:443 (ECONNREFUSED)"
 */
import { STATUS_CODES } from 'node:http';
import { FailedPreconditionError, UnavailableError } from '../domain/errors.js';
import { errCode } from './disk-io.js';

const TLS_ERROR = /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH)/;

/** A status that is not a success; timeouts, throttling and server errors may pass if retried. */
export function statusError(status: number, statusMessage: string | undefined): Error {
  const message = `uri: source answered HTTP ${status} ${STATUS_CODES[status] ?? statusMessage ?? ''}`.trimEnd();
  const transient = status === 408 || status === 429 || status >= 500;
  return transient ? new UnavailableError(message) : new FailedPreconditionError(message);
}

/** How far the connection got: TCP not yet up, TLS handshake under way, ready for HTTP. */
export type ConnectPhase = 'connecting' | 'tls' | 'connected';

/** A failure before any response: name resolution, connection, TLS, a malformed answer. */
export function requestError(err: unknown, url: URL, phase: ConnectPhase): Error {
  const code = errCode(err) ?? 'unknown error';
  const where = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  if (/^(ENOTFOUND|EAI_)/.test(code)) return new UnavailableError(`uri: cannot resolve host ${url.hostname} (${code})`, { cause: err });
  if (phase === 'tls' || TLS_ERROR.test(code)) {
    // OpenSSL's reason ("wrong version number") says more than EPROTO does.
    const reason = /SSL routines:[^:]*:([^:]+):/.exec((err as Error | undefined)?.message ?? '')?.[1];
    return new FailedPreconditionError(`uri: TLS connection to ${where} failed (${reason ?? code})`, { cause: err });
  }
  if (code.startsWith('HPE_')) return new FailedPreconditionError(`uri: ${where} sent an invalid HTTP response (${code})`, { cause: err });
  if (phase === 'connected') return new UnavailableError(`uri: ${where} closed the connection without answering (${code})`, { cause: err });
  return new UnavailableError(`uri: cannot connect to ${where} (${code})`, { cause: err });
}

/** A failure while the body streams, or a body shorter than its Content-Length. */
export function bodyError(err: unknown, received: number, contentLength: number | undefined): Error {
  const code = errCode(err);
  if (code?.startsWith('HPE_')) return new FailedPreconditionError(`uri: source sent an invalid HTTP body (${code})`, { cause: err });
  const of = contentLength === undefined ? '' : ` of ${contentLength}`;
  return new UnavailableError(`uri: connection closed after ${received}${of} bytes`, { cause: err });
}
