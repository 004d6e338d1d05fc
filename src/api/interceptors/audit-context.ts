/**
 * Puts the request metadata of every call into the call context (remote address, user agent,
 * request id, idempotency key, and the request as audit `request_parameters`), and records an
 * ERROR audit event when an audited mutating call is refused before any Operation exists
 * (PERMISSION_DENIED with `authorization.authorized: false`, quota, precondition...). Calls
 * refused as UNAUTHENTICATED are not recorded: nobody to attribute them to.
 *
 * Registered first, so it sees the errors of every interceptor after it (auth included):
 *
 *   router.use(auditContext(audit, catalog, anyTypes));  router.use(auth);  router.use(idempotency(keys, wire));
 */
import { toJson, type DescMessage, type Message, type Registry } from '@bufbuild/protobuf';
import type { CallContext, Interceptor } from '../../transport/rpc.js';
import type { RequestMetadata } from '../../domain/caller.js';
import type { AuditLog } from '../../domain/audit/audit-log.js';
import type { AuditCatalog } from '../../domain/audit/event-types.js';
import { ApiError } from '../../domain/errors.js';
import { callerOf, REQUEST } from '../caller.js';
import { needsRedaction, redactUrl } from '../../domain/redact-url.js';

export function auditContext(audit: AuditLog, catalog: AuditCatalog, anyTypes: Registry): Interceptor {
  const audited = async (meta: RequestMetadata, ctx: CallContext, next: () => Promise<Message>): Promise<Message> => {
    try {
      return await next();
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 16)) {
        const folderId = meta.parameters['folder_id'];
        await audit.rejected(callerOf(ctx), err, typeof folderId === 'string' ? folderId : '');
      }
      throw err;
    }
  };
  // Not async: a call that is not audited goes on with the next stage's own promise (see
  // Interceptor in transport/rpc.ts).
  return (call, req, ctx, next) => {
    const meta = requestMetadata(call.path, call.method.input, req, ctx, anyTypes);
    ctx.values.set(REQUEST, meta);
    return catalog.eventTypeOf(call.path) ? audited(meta, ctx, next) : next();
  };
}

export function requestMetadata(method: string, schema: DescMessage, req: Message, ctx: CallContext, anyTypes: Registry): RequestMetadata {
  return new CallMetadata(method, schema, req, ctx, anyTypes);
}

/**
 * Every call gets one, but only audited calls read it: each field is worked out when first read
 * (a class, as an object literal with getters was slow to make once per call).
 */
class CallMetadata implements RequestMetadata {
  private params: Record<string, unknown> | undefined;

  constructor(
    readonly method: string,
    private readonly schema: DescMessage,
    private readonly req: Message,
    private readonly ctx: CallContext,
    private readonly anyTypes: Registry,
  ) {}

  get remoteAddress(): string {
    return addressOf(this.ctx.peer);
  }

  get userAgent(): string {
    return this.ctx.userAgent.slice(0, 512);
  }

  get requestId(): string {
    return this.ctx.requestId;
  }

  get idempotencyKey(): string {
    return (this.ctx.header('idempotency-key') ?? '').slice(0, 128);
  }

  get parameters(): Record<string, unknown> {
    return (this.params ??= maskSecrets(protoJson(this.schema, this.req, this.anyTypes)));
  }
}

/** The request as proto3 JSON with proto (snake_case) field names, defaults omitted. */
export function protoJson(schema: DescMessage, req: Message, anyTypes?: Registry): Record<string, unknown> {
  try {
    return toJson(schema, req, { useProtoFieldName: true, ...(anyTypes && { registry: anyTypes }) }) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/**
 * The caller's IP address from `CallContext.peer`: gRPC gives `ipv4:10.0.0.1:5000` or
 * `ipv6:[::1]:5000`, REST `<address>:<port>`. IPv4-mapped IPv6 becomes plain IPv4.
 */
export function addressOf(peer: string): string {
  const bracketed = /^(?:ipv6:)?\[([^\]]+)\](?::\d+)?$/.exec(peer);
  const withPort = /^(?:ipv4:)?(.+):\d+$/.exec(peer);
  const address = bracketed ? bracketed[1]! : withPort ? withPort[1]! : peer;
  return address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
}

const SECRET = /token|jwt|password|secret|private_key|credential/i;

/**
 * Audit events never carry credentials, whatever a request contains: secret-named fields are
 * masked, and URLs (an import `uri`, pre-signed) keep their query parameter names only.
 */
export function maskSecrets(value: Record<string, unknown>): Record<string, unknown> {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string' && needsRedaction(v)) return redactUrl(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, SECRET.test(k) ? '***' : walk(x)]));
    }
    return v;
  };
  return walk(value) as Record<string, unknown>;
}
