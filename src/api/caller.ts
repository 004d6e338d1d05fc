/**
 * What the interceptors learn about a call, as typed context values: the authenticated Subject
 * (authentication guard), the request metadata (audit context) and the idempotency claim
 * (idempotency interceptor). `callerOf` assembles the domain's Caller from them.
 *
 *   ctx.values.set(SUBJECT, subject);
 *   const op = await images.copy(input, callerOf(ctx));
 */
import { createContextKey, type ContextValues } from '../transport/context-values.js';
import type { Caller, IdempotencyClaim, RequestMetadata } from '../domain/caller.js';
import type { Subject } from '../domain/iam/subject.js';

export const SUBJECT = createContextKey<Subject | undefined>(undefined, 'subject');
export const REQUEST = createContextKey<RequestMetadata | undefined>(undefined, 'request');
export const IDEMPOTENCY = createContextKey<IdempotencyClaim | undefined>(undefined, 'idempotency');
/**
 * Set when the caller passed authorization only as an owner (a desktops user): its subject id.
 * In a collection it sees only what it owns; on one desktop it acts only for itself.
 */
export const OWNED_BY = createContextKey<string | undefined>(undefined, 'owned-by');

export function callerOf(ctx: { readonly values: ContextValues }): Caller {
  const subject = ctx.values.get(SUBJECT);
  const request = ctx.values.get(REQUEST);
  const idempotency = ctx.values.get(IDEMPOTENCY);
  return {
    subjectId: subject?.id ?? '',
    ...(subject && { subject }),
    ...(request && { request }),
    ...(idempotency && { idempotency }),
  };
}
