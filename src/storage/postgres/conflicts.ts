/**
 * What the PostgreSQL store does when concurrent transactions collide. Write transactions run
 * at SERIALIZABLE, so PostgreSQL aborts one side of a conflict that the embedded store would
 * have avoided by running them one at a time (two Copies counting the same folder's quota).
 * Those aborts (serialization failure 40001, deadlock 40P01) are retried here, with jittered
 * backoff, a bounded number of times; the caller never sees them.
 *
 *   for (let attempt = 1; ; attempt++) {
 *     try { return await once(); } catch (err) {
 *       if (!isConflict(err) || attempt >= MAX_ATTEMPTS) throw outOfRetries(err);
 *       await backoff(attempt);
 *     }
 *   }
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AbortedError, UnavailableError } from '../../domain/errors.js';

/** Attempts of one transaction; with the backoff below, about two seconds of trying at most. */
export const MAX_ATTEMPTS = 15;

const RETRYABLE = new Set(['40001', '40P01']);

/** SQLSTATE classes that mean the server or the connection is gone, not that the SQL is wrong. */
const UNAVAILABLE = /^(08|57P0|53)/;

export const sqlState = (err: unknown): string | undefined =>
  typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : undefined;

export function isConflict(err: unknown): boolean {
  const code = sqlState(err);
  return code !== undefined && RETRYABLE.has(code);
}

/** Full jitter over an exponential ceiling (2 ms, 4 ms, ... capped at 250 ms). */
export function backoff(attempt: number): Promise<void> {
  const ceiling = Math.min(250, 2 ** attempt);
  return sleep(Math.random() * ceiling);
}

/**
 * The error a caller sees for a database failure: a conflict that outlasted its retries is
 * ABORTED (the client may retry, as the API conventions say), a lost database UNAVAILABLE;
 * anything else is left as it is.
 */
export function publicError(err: unknown): unknown {
  if (isConflict(err)) return new AbortedError('The request conflicted with concurrent changes; retry it', { cause: err });
  const code = sqlState(err);
  // node-postgres says "timeout exceeded when trying to connect" (pool) or "Connection terminated ..." without a code.
  const lost = err instanceof Error && /^(timeout exceeded when trying to connect|Connection terminated)/.test(err.message);
  if ((code && UNAVAILABLE.test(code)) || code === 'ECONNREFUSED' || code === 'ECONNRESET' || lost) {
    return new UnavailableError('The database is unavailable; retry later', { cause: err });
  }
  return err;
}
