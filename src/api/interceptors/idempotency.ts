/**
 * `idempotency-key` on mutating RPCs (docs/decisions.md point 7). Which RPCs mutate comes from the
 * descriptors: those with the yandex.cloud.api.operation option. Reads ignore the key, as
 * SDKs that stamp one on every call need. The key must be a UUID; scope is subject + method +
 * key. A replay returns the original Operation re-read in its current state and runs nothing
 * else (no handler, so no second audit event). Registered after authentication:
 *
 *   router.use(auditContext(audit, catalog, anyTypes));  router.use(auth);  router.use(idempotency(keys, wire));
 */
import { createHash } from 'node:crypto';
import { hasOption, type DescMethod, type Message } from '@bufbuild/protobuf';
import type { CallContext, Interceptor, RegisteredMethod } from '../../transport/rpc.js';
import { operation as operationOption } from '../../gen/yandex/cloud/api/operation_pb.js';
import type { Operation as WireOperation } from '../../gen/yandex/cloud/operation/operation_pb.js';
import { IDEMPOTENCY_FIELD, type IdempotencyKeys } from '../../domain/idempotency/idempotency-keys.js';
import { InvalidArgumentError } from '../../domain/errors.js';
import { loggers } from '../../logger.js';
import type { OperationWire } from '../operation-wire.js';
import { IDEMPOTENCY, SUBJECT } from '../caller.js';
import { protoJson } from './audit-context.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** RPCs that return an Operation: every state-changing call of the Yandex Cloud APIs. */
export function isMutating(method: DescMethod): boolean {
  return hasOption(method, operationOption);
}

export function idempotency(keys: IdempotencyKeys, wire: OperationWire): Interceptor {
  // Not async: a call without a key goes on with the next stage's own promise (see Interceptor
  // in transport/rpc.ts).
  return (call, req, ctx, next) => {
    const key = ctx.header(IDEMPOTENCY_FIELD);
    if (key === undefined || key === '' || !isMutating(call.method)) return next();
    return keyed(key, call, req, ctx, next);
  };

  async function keyed(key: string, call: RegisteredMethod, req: Message, ctx: CallContext, next: () => Promise<Message>): Promise<Message> {
    if (!UUID.test(key)) throw InvalidArgumentError.field(IDEMPOTENCY_FIELD, 'Value must be a UUID');
    const subject = ctx.values.get(SUBJECT);
    const scope = { subjectId: subject?.id ?? '', method: call.path, key: key.toLowerCase() };
    const step = await keys.begin(scope, requestHash(protoJson(call.method.input, req)), ctx.signal);
    if (step.kind === 'replay') return wire.toWire(step.operation);

    ctx.values.set(IDEMPOTENCY, step.claim);
    let out: Message;
    try {
      out = await next();
    } catch (err) {
      await keys.release(step.claim).catch((e: unknown) => loggers.rpc.error({ err: e }, 'could not release idempotency key'));
      throw err;
    }
    // Use cases bind the key in their own transaction; this covers a handler that did not.
    if (out.$typeName === 'yandex.cloud.operation.Operation') {
      const id = (out as WireOperation).id;
      await keys.bindAfter(step.claim, id).catch((e: unknown) => loggers.rpc.error({ err: e }, 'could not bind idempotency key'));
    }
    return out;
  }
}

/** SHA-256 of the request's proto JSON with keys sorted, so map order does not matter. */
export function requestHash(json: unknown): string {
  return createHash('sha256').update(canonical(json)).digest('hex');
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
