/**
 * Request and trace ids: every response carries `x-request-id` (the client's own when it sent
 * one, as x-request-id or x-client-request-id) and `x-server-trace-id` (api-conventions §4.3).
 */
import { randomUUID } from 'node:crypto';

const SAFE = /^[A-Za-z0-9._:-]{1,128}$/;

export function pickRequestId(header: (name: string) => string | undefined): string {
  for (const name of ['x-request-id', 'x-client-request-id']) {
    const v = header(name);
    if (v && SAFE.test(v)) return v;
  }
  return randomUUID();
}

export function newTraceId(): string {
  return randomUUID().replaceAll('-', '');
}
