/**
 * The Audit Trails event envelope (api-conventions 11.1) and how clouddesk fills it. Events are
 * plain JSON records with the envelope's snake_case names; `request_parameters` is the request
 * in proto3 JSON with the proto (snake_case) field names, like the example in 11.2.
 *
 *   const ev = startedEvent({ type, caller, folderId, operationId, details, time });
 *   const done = finalEvent(ev, { status: 'DONE', time, details });
 */
import { newId } from '../../ids.js';
import type { Caller } from '../caller.js';
import type { OperationError } from '../operation/operation.js';
import type { AuditEventType } from './event-types.js';

export type EventStatus = 'STARTED' | 'DONE' | 'ERROR' | 'CANCELLED';

export interface ResourcePathEntry {
  resource_type: string;
  resource_id: string;
  resource_name: string;
}

/** google.rpc.Status as JSON; details are Any values (`@type` + fields). */
export interface RpcStatusJson {
  code: number;
  message: string;
  details: Record<string, unknown>[];
}

export interface AuditEvent {
  event_id: string;
  event_source: string;
  event_type: string;
  /** RFC 3339, UTC, milliseconds */
  event_time: string;
  authentication: {
    authenticated: boolean;
    /** `SERVICE_ACCOUNT`, or `BOOTSTRAP` for the bootstrap credential (docs/decisions.md point 6). */
    subject_type?: string;
    subject_id?: string;
    subject_name?: string;
    /** Id of the IAM token used; never the token. */
    token_info?: { iam_token_id: string };
  };
  authorization: { authorized: boolean };
  resource_metadata: { path: ResourcePathEntry[] };
  request_metadata: { remote_address: string; user_agent: string; request_id: string; idempotency_id?: string };
  event_status: EventStatus;
  error?: RpcStatusJson;
  details: Record<string, unknown>;
  request_parameters?: Record<string, unknown>;
  response?: Record<string, unknown>;
}

export interface EventInput {
  type: AuditEventType;
  caller: Caller;
  folderId: string;
  status: EventStatus;
  details: Record<string, unknown>;
  time: Date;
  operationId?: string;
  error?: OperationError;
  /** false for an IAM denial (PERMISSION_DENIED) */
  authorized?: boolean;
}

export function buildEvent(i: EventInput): AuditEvent {
  const subject = i.caller.subject;
  const req = i.caller.request;
  const event: AuditEvent = {
    // Event ids look like the emitting service's resource ids (docs/decisions.md point 4).
    event_id: newId(i.type.idPrefix),
    event_source: i.type.source,
    event_type: `yandex.cloud.audit.${i.type.source}.${i.type.name}`,
    event_time: i.time.toISOString(),
    authentication: subject
      ? {
          authenticated: true,
          subject_type: subject.type,
          subject_id: subject.id,
          subject_name: subject.name,
          ...(subject.tokenId ? { token_info: { iam_token_id: subject.tokenId } } : {}),
        }
      : { authenticated: false },
    authorization: { authorized: i.authorized ?? true },
    resource_metadata: {
      path: i.folderId ? [{ resource_type: 'resource-manager.folder', resource_id: i.folderId, resource_name: i.folderId }] : [],
    },
    request_metadata: {
      remote_address: req?.remoteAddress ?? '',
      user_agent: req?.userAgent ?? '',
      request_id: req?.requestId ?? '',
      ...(req?.idempotencyKey ? { idempotency_id: req.idempotencyKey } : {}),
    },
    event_status: i.status,
    details: i.details,
  };
  if (req) event.request_parameters = req.parameters;
  if (i.operationId) event.response = { operation_id: i.operationId };
  if (i.error) event.error = statusJson(i.error);
  return event;
}

/** The DONE / ERROR / CANCELLED event of an operation, from its STARTED event. */
export function finalEvent(
  started: AuditEvent,
  o: { status: Exclude<EventStatus, 'STARTED'>; time: Date; details: Record<string, unknown>; error?: OperationError },
): AuditEvent {
  const { error: _ignored, ...rest } = started;
  const event: AuditEvent = {
    ...rest,
    event_id: newId(started.event_id.slice(0, 3)),
    event_time: o.time.toISOString(),
    event_status: o.status,
    details: { ...started.details, ...o.details },
  };
  if (o.error) event.error = statusJson(o.error);
  return event;
}

function statusJson(e: OperationError): RpcStatusJson {
  const details: Record<string, unknown>[] = [];
  if (e.violations && e.violations.length > 0) {
    details.push({
      '@type': 'type.googleapis.com/google.rpc.BadRequest',
      field_violations: e.violations.map((v) => ({ field: v.field, description: v.description })),
    });
  }
  return { code: e.code, message: e.message, details };
}
