/**
 * Request and trace ids: every response carries `x-request-id` (the client's own when it sent
 * one, as x-request-id or x-client-request-id) and `x-server-trace-id` (api-conventions §4.3).
 */
import { randomBytes, randomUUID } from 'node:crypto';

const SAFE = /^[A-Za-z0-9._:-]{1,128}$/;

export function pickRequestId(header: (name: string) => string | undefined): string {
  for (const name of ['x-request-id', 'x-client-request-id']) {
    const v = header(name);
    if (v && SAFE.test(v)) return v;
  }
  return randomUUID();
}

// 32 hex characters: 16 random per process, then a 16-digit counter. Unique across processes
// and restarts without a random draw per call.
const TRACE_PREFIX = randomBytes(8).toString('hex');
let traceCounter = 0;

export function newTraceId(): string {
  traceCounter = (traceCounter + 1) % Number.MAX_SAFE_INTEGER;
  return TRACE_PREFIX + traceCounter.toString(16).padStart(16, '0');
}
