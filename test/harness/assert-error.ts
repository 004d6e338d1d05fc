/**
 * Asserts an SDK call fails with a gRPC status code and a message matching `pattern`.
 * The SDK wraps failures in its ApiError, which keeps nice-grpc's message
 * `<path> <CODE_NAME>: <details>` and the x-request-id/x-server-trace-id of the response.
 */
import assert from 'node:assert/strict';
import { CODE_NAMES } from '../../src/transport/status.js';

const CODES: readonly string[] = CODE_NAMES;

export interface GrpcFailure {
  code: number;
  details: string;
  requestId?: string;
  serverTraceId?: string;
}

export function failureOf(err: unknown): GrpcFailure {
  const e = err as { code?: number; details?: string; message?: string; requestId?: string; serverTraceId?: string };
  if (typeof e.code === 'number' && typeof e.details === 'string') return { code: e.code, details: e.details };
  const m = /^\S+ ([A-Z_]+): ([\s\S]*)$/.exec(e.message ?? '');
  assert.ok(m, `not a gRPC failure: ${String(e.message ?? err)}`);
  return { code: CODES.indexOf(m[1]!), details: m[2]!, requestId: e.requestId, serverTraceId: e.serverTraceId };
}

/** The gRPC status code a call ends with: 0 when it succeeds. */
export async function codeOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 0;
  } catch (err) {
    return failureOf(err).code;
  }
}

export async function rejectsWith(call: Promise<unknown>, code: number, pattern?: RegExp): Promise<GrpcFailure> {
  let failure: GrpcFailure | undefined;
  try {
    await call;
  } catch (err) {
    failure = failureOf(err);
  }
  assert.ok(failure, `expected the call to fail with code ${CODES[code]}, but it succeeded`);
  assert.equal(failure.code, code, `${CODES[failure.code]} (${failure.details}) instead of ${CODES[code]}`);
  if (pattern) assert.match(failure.details, pattern);
  return failure;
}
