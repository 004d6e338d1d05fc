/**
 * A gRPC service as clouddesk serves it, declared in its resource's folder: for every method
 * its authorization rule, for every mutating one its audit event, and its handler. Method
 * keys are typed against the generated descriptor, so a method without a rule, or a mutation
 * without an audit event name, fails to compile. One file per RPC, read top to bottom: the
 * rule, the event, the domain call and the mapping to the wire (atproto's style).
 *
 *   // api/copy.ts
 *   export const copy = rpc(DesktopImageService.method.copy, {
 *     auth: [write(VDI, folder()), read(COMPUTE, res(COMPUTE_IMAGE, 'image_id'))],
 *     audit: 'CopyDesktopImage',
 *     handler: ({ images }: Deps) => (req, call) => images.copy({ ...fields of req }, call.caller),
 *   });
 *   // api/service.ts
 *   export const desktopImageService = defineService(DesktopImageService, {
 *     auditSource: 'clouddesktop', rpcs: { list, get, copy, copyFromDesktop, update, delete: remove },
 *   });
 *   // module.ts
 *   registerService(router, desktopImageService, { images }, wire);
 *
 * A mutating handler returns the domain Operation; the registration turns it into the wire
 * Operation, so no handler repeats that step.
 */
import type { DescMethod, DescService, MessageInitShape, MessageShape } from '@bufbuild/protobuf';
import type { Operation } from '../domain/operation/operation.js';
import type { Caller } from '../domain/caller.js';
import type { CallContext, Router, ServiceHandlers } from '../transport/rpc.js';
import type { Rule } from './authz/rules.js';
import { callerOf } from './caller.js';
import type { OperationWire } from './operation-wire.js';

export const OPERATION_TYPE = 'yandex.cloud.operation.Operation';

/** What a handler gets besides its request. */
export interface Call {
  readonly ctx: CallContext;
  /** Who calls, from where, with which idempotency key (built on first use). */
  readonly caller: Caller;
}

type IsOperation<M extends DescMethod> = MessageShape<M['output']> extends { $typeName: typeof OPERATION_TYPE } ? true : false;

type Returns<M extends DescMethod> = IsOperation<M> extends true ? Operation : MessageShape<M['output']> | MessageInitShape<M['output']>;

export type Handler<M extends DescMethod> = (req: MessageShape<M['input']>, call: Call) => Promise<Returns<M>>;

export interface Rpc<M extends DescMethod, D> {
  readonly auth: Rule;
  /** The Audit Trails event name of a mutation (`CopyDesktopImage`), or false: not audited. */
  readonly audit?: string | false;
  readonly handler: (deps: D) => Handler<M>;
}

/** A declared RPC clouddesk does not serve: it still has a rule, and answers UNIMPLEMENTED. */
export interface Unimplemented {
  readonly auth: Rule;
  readonly audit?: undefined;
  readonly handler?: undefined;
}

/** An implemented RPC; `audit` keeps its literal type, so the service can demand it of mutations. */
export function rpc<M extends DescMethod, D, const A extends string | false | undefined = undefined>(
  _method: M,
  def: Rpc<M, D> & { readonly audit?: A },
): Rpc<M, D> & { readonly audit: A } {
  return def as Rpc<M, D> & { readonly audit: A };
}

export function unimplemented(auth: Rule): Unimplemented {
  return { auth };
}

type Methods<S extends DescService> = { [K in keyof S['method']]: S['method'][K] extends DescMethod ? S['method'][K] : never };

/**
 * Every method of the service. One that returns an Operation must say its audit event, or
 * `audit: false` when it changes nothing (OperationService.Get).
 */
export type RpcTable<S extends DescService> = {
  readonly [K in keyof Methods<S>]:
    | Unimplemented
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    | (Rpc<Methods<S>[K], any> & (IsOperation<Methods<S>[K]> extends true ? { readonly audit: string | false } : unknown));
};

type UnionToIntersection<U> = (U extends unknown ? (k: U) => void : never) extends (k: infer I) => void ? I : never;

/** What the handlers of a table need together. */
export type DepsOf<R> = UnionToIntersection<
  { [K in keyof R]: R[K] extends { handler: (deps: infer D) => unknown } ? D : never }[keyof R]
>;

export interface ServiceDefinition<S extends DescService = DescService, D = unknown> {
  readonly service: S;
  /** Audit Trails `event_source` of its events (`clouddesktop`). */
  readonly auditSource?: string;
  /** Prefix of its audit event ids: the id prefix of its resource (docs/decisions.md point 4). */
  readonly eventIdPrefix?: string;
  readonly rpcs: RpcTable<S>;
  /** Type only: what registerService must be given. */
  readonly deps?: D;
}

export function defineService<S extends DescService, const R extends RpcTable<S>>(
  service: S,
  def: { auditSource?: string; eventIdPrefix?: string; rpcs: R },
): ServiceDefinition<S, DepsOf<R>> {
  return { service, ...def };
}

/** The RPC of a method, by its descriptor (untyped view for hubs). */
export function rpcOf(def: ServiceDefinition<DescService, never>, method: DescMethod): Rpc<DescMethod, never> | Unimplemented {
  return (def.rpcs as unknown as Record<string, Rpc<DescMethod, never> | Unimplemented>)[method.localName]!;
}

/** Registers the implemented RPCs of `def` on the router, with their dependencies. */
export function registerService<S extends DescService, D>(router: Router, def: ServiceDefinition<S, D>, deps: D, wire: OperationWire): void {
  const handlers: Record<string, (req: never, ctx: CallContext) => Promise<unknown>> = {};
  for (const method of def.service.methods) {
    const r = (def.rpcs as unknown as Record<string, Rpc<DescMethod, D> | Unimplemented>)[method.localName]!;
    if (!r.handler) continue;
    const handle = r.handler(deps) as (req: unknown, call: Call) => Promise<unknown>;
    handlers[method.localName] =
      method.output.typeName === OPERATION_TYPE
        ? async (req, ctx) => wire.toWire((await handle(req, new CallOf(ctx))) as Operation)
        : (req, ctx) => handle(req, new CallOf(ctx));
  }
  router.add(def.service, handlers as ServiceHandlers<S>);
}

/** A class, not an object literal with a getter: one is made for every call. */
class CallOf implements Call {
  private made: Caller | undefined;

  constructor(readonly ctx: CallContext) {}

  get caller(): Caller {
    return (this.made ??= callerOf(this.ctx));
  }
}
