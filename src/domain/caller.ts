/**
 * Who calls a use case and from where. `api/caller.ts` builds it from the call context; the
 * domain reads `subjectId` for Operation.created_by, and the rest for audit events and the
 * idempotency key that commit with the Operation.
 *
 *   const op = await images.copy(input, callerOf(ctx));
 */
import type { Subject } from './iam/subject.js';

/** Facts about the request itself, for audit `request_metadata` and `request_parameters`. */
export interface RequestMetadata {
  /** `/package.Service/Method`, which also names the audit event type (audit/event-types.ts). */
  readonly method: string;
  /** Caller IP address, without port. */
  readonly remoteAddress: string;
  readonly userAgent: string;
  readonly requestId: string;
  /** The `idempotency-key` the client sent, or '' (audit `request_metadata.idempotency_id`). */
  readonly idempotencyKey: string;
  /** The request as proto3 JSON with the proto (snake_case) field names; secrets masked. */
  readonly parameters: Record<string, unknown>;
}

/** The idempotency key a use case binds to the Operation it creates, in the same transaction. */
export interface IdempotencyClaim {
  readonly subjectId: string;
  readonly method: string;
  readonly key: string;
  /** Random token of the request that holds the key. */
  readonly claim: string;
}

export interface Caller {
  /** Subject id, or '' when nobody is authenticated. */
  subjectId: string;
  subject?: Subject;
  request?: RequestMetadata;
  idempotency?: IdempotencyClaim;
}

/**
 * Work clouddesk starts itself (a group's standby desktops, a schedule's start and stop): its
 * operations are created by `system` and, with no request behind them, make no audit event.
 */
export const SYSTEM_CALLER: Caller = Object.freeze({ subjectId: 'system' });
