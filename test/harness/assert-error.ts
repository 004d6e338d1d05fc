/** Asserts an SDK call fails with a gRPC status code and a message matching `pattern`. */
import assert from 'node:assert/strict';

export interface GrpcFailure {
  code: number;
  details: string;
}

export async function rejectsWith(call: Promise<unknown>, code: number, pattern?: RegExp): Promise<GrpcFailure> {
  let failure: GrpcFailure | undefined;
  try {
    await call;
  } catch (err) {
    failure = err as GrpcFailure;
  }
  assert.ok(failure, `expected the call to fail with code ${code}, but it succeeded`);
  assert.equal(failure.code, code, `code ${failure.code} (${failure.details}) instead of ${code}`);
  if (pattern) assert.match(failure.details, pattern);
  return failure;
}
