/**
 * Authentication guard: every RPC needs `authorization: Bearer <token>` (gRPC metadata or HTTP
 * header) except those the table marks `public`. The Subject goes into the call context under
 * SUBJECT. It runs before request validation, so an anonymous caller gets
 * UNAUTHENTICATED whatever it sent. Neither the token nor the header is ever logged or echoed.
 * A wrong token counts against the caller's address (AuthThrottle); a valid one always passes.
 *
 *   router.guard(authenticationGuard(authentication, table, { throttle, trustProxy: false }));
 */
import type { CallContext, Guard } from '../../transport/rpc.js';
import { LOGGED_SUBJECT } from '../../transport/context-values.js';
import type { Authentication } from '../../resources/iam-token/domain/authentication.js';
import { PermissionDeniedError, UnauthenticatedError } from '../../domain/errors.js';
import { SUBJECT } from '../caller.js';
import type { Subject } from '../../domain/iam/subject.js';
import type { AuthzTable } from './table.js';
import type { AuthThrottle } from '../../resources/iam-token/domain/throttle.js';
import { clientAddress } from './client-address.js';

export interface Throttling {
  readonly throttle: AuthThrottle;
  /** Take the client address from X-Forwarded-For (a proxy in front of us appends it). */
  readonly trustProxy: boolean;
}

/** Runs a credential check counted against the caller's address: the bearer guard and the JWT exchange. */
export function throttled<T>(throttling: Throttling, ctx: CallContext, check: () => T | Promise<T>): T | Promise<T> {
  // The address is worked out only for a failure: a valid credential never needs it.
  return throttling.throttle.attempt(() => clientAddress(ctx, throttling.trustProxy), check);
}

const REQUIRED = 'Authentication required: send the header "authorization: Bearer <IAM token>"';

/** The token of an `authorization: Bearer <token>` header (spaces or tabs around it allowed). */
export function bearerToken(header: string | undefined): string | undefined {
  return header === undefined ? undefined : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header)?.[1];
}

export function authenticationGuard(authentication: Authentication, table: AuthzTable, throttling: Throttling): Guard {
  // Not async: the bootstrap credential and a cached IAM token are known at once, and the call
  // goes on without a promise of its own (Guard in transport/rpc.ts).
  return (call, ctx) => {
    const rule = table.get(call.path);
    if (rule === undefined) throw new PermissionDeniedError(`Permission denied: ${call.path} has no authorization rule`);
    if (rule === 'public') return;
    const header = ctx.header('authorization');
    const token = bearerToken(header);
    if (token === undefined) throw new UnauthenticatedError(REQUIRED);
    const subject = throttled(throttling, ctx, () => authentication.subjectOf(token));
    if (subject instanceof Promise) return subject.then((known) => admit(ctx, known));
    admit(ctx, subject);
  };
}

function admit(ctx: CallContext, subject: Subject): void {
  ctx.values.set(SUBJECT, subject).set(LOGGED_SUBJECT, subject.id);
}
