/**
 * The caller of an RPC, as the interceptors left it in the call context: the authenticated
 * Subject (auth interceptor), the request metadata (api/interceptors/audit-context.ts) and
 * the idempotency claim (api/interceptors/idempotency.ts).
 */
import type { CallContext } from '../transport/rpc.js';
import type { Caller, IdempotencyClaim, RequestMetadata } from '../domain/caller.js';
import type { Subject } from '../domain/iam/subject.js';

export const SUBJECT_ATTRIBUTE = 'subject';
export const REQUEST_ATTRIBUTE = 'request';
export const IDEMPOTENCY_ATTRIBUTE = 'idempotency';

export function callerOf(ctx: CallContext): Caller {
  const subject = ctx.attributes.get(SUBJECT_ATTRIBUTE) as Subject | undefined;
  const request = ctx.attributes.get(REQUEST_ATTRIBUTE) as RequestMetadata | undefined;
  const idempotency = ctx.attributes.get(IDEMPOTENCY_ATTRIBUTE) as IdempotencyClaim | undefined;
  return {
    subjectId: subject?.id ?? '',
    ...(subject && { subject }),
    ...(request && { request }),
    ...(idempotency && { idempotency }),
  };
}
