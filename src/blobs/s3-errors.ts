/**
 * Typed errors for S3 failures: an unreachable or overloaded service is UNAVAILABLE (the client
 * may retry); a refused credential or a missing bucket is the operator's to fix (INTERNAL, with
 * the S3 error name in the message so the log says what).
 *
 *   await client.send(cmd).catch((err) => { throw s3Error(err, bucket); });
 */
import { ApiError, InternalError, UnavailableError } from '../domain/errors.js';

interface S3Failure {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

function statusOf(err: unknown): number | undefined {
  return (err as S3Failure | null)?.$metadata?.httpStatusCode;
}

function nameOf(err: unknown): string {
  return (err as S3Failure | null)?.name ?? 'Error';
}

export function isNotFound(err: unknown): boolean {
  return ['NoSuchKey', 'NotFound'].includes(nameOf(err)) || (statusOf(err) === 404 && nameOf(err) !== 'NoSuchBucket');
}

export function isNotImplemented(err: unknown): boolean {
  return nameOf(err) === 'NotImplemented' || statusOf(err) === 501;
}

export function s3Error(err: unknown, bucket: string): Error {
  if (err instanceof ApiError) return err;
  const status = statusOf(err);
  const name = nameOf(err);
  if (name === 'NoSuchBucket') return new InternalError(`blob store: S3 bucket "${bucket}" does not exist`, { cause: err });
  if (isNotImplemented(err)) return new InternalError(`blob store: the S3 server does not implement a request clouddesk needs (${name})`, { cause: err });
  if (status === undefined || status >= 500 || name === 'SlowDown' || name === 'TimeoutError') {
    return new UnavailableError('the blob store (S3) is unavailable, try again later', { cause: err });
  }
  return new InternalError(`blob store: S3 refused the request (${name}, HTTP ${status})`, { cause: err });
}
