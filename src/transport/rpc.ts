/**
 * Transport-neutral RPC layer. Services register handlers against the generated service
 * descriptors; the gRPC adapter and the REST transcoder both call `dispatch`, so guards
 * (authentication), validation, interceptors (authorization, audit context), logging and error
 * mapping are the same on both paths.
 *
 *   router.add(DesktopImageService, {
 *     get: async (req, ctx) => toWire(await images.get(req.imageId)),
 *   });
 *   const out = await router.dispatch(method, request, ctx);
 */
import type { DescMethod, DescService, Message, MessageInitShape, MessageShape } from '@bufbuild/protobuf';
import { create, isMessage } from '@bufbuild/protobuf';
import { InvalidArgumentError, UnimplementedError } from '../domain/errors.js';
import { assertValid } from './validation.js';
import { logRpc } from '../logger.js';
import { codeName, toStatus } from './status.js';
import { ApiError } from '../domain/errors.js';
import { LOGGED_SUBJECT, type ContextValues } from './context-values.js';

/** What a handler knows about the call, whichever protocol carried it. */
export interface CallContext {
  /** `/package.Service/Method` */
  readonly method: string;
  readonly protocol: 'grpc' | 'rest';
  readonly requestId: string;
  readonly traceId: string;
  /** Remote address of the caller. */
  readonly peer: string;
  readonly userAgent: string;
  /** Incoming gRPC metadata or HTTP headers, by lower-case name. */
  header(name: string): string | undefined;
  /** Aborted when the client goes away or the deadline passes. */
  readonly signal: AbortSignal;
  /** Filled by guards and interceptors (e.g. the authenticated subject). */
  readonly values: ContextValues;
}

type UnaryMethods<S extends DescService> = {
  [K in keyof S['method']]: S['method'][K] extends DescMethod ? S['method'][K] : never;
};

export type ServiceHandlers<S extends DescService> = {
  [K in keyof UnaryMethods<S>]?: (
    req: MessageShape<UnaryMethods<S>[K]['input']>,
    ctx: CallContext,
  ) => Promise<MessageShape<UnaryMethods<S>[K]['output']> | MessageInitShape<UnaryMethods<S>[K]['output']>>;
};

/** One finished RPC, as metrics count it (`method` is always the full gRPC path, or `unmatched`). */
export interface RpcEvent {
  readonly method: string;
  readonly protocol: 'grpc' | 'rest';
  /** gRPC code name: `OK`, `NOT_FOUND`... */
  readonly code: string;
  readonly seconds: number;
}

export type RpcObserver = (event: RpcEvent) => void;

type AnyHandler = (req: Message, ctx: CallContext) => Promise<Message | object>;

export interface RegisteredMethod {
  readonly service: DescService;
  readonly method: DescMethod;
  /** `/package.Service/Method` */
  readonly path: string;
  readonly handler?: AnyHandler;
}

/**
 * Runs before the request is validated (authentication: an anonymous caller learns nothing
 * about the request's shape, and gets UNAUTHENTICATED before INVALID_ARGUMENT). It refuses by
 * throwing or rejecting; one that can decide at once returns nothing, and is not awaited.
 */
export type Guard = (call: RegisteredMethod, ctx: CallContext) => void | Promise<void>;

/**
 * Runs around every handler; call `next()` to continue. One that only looks at the call and
 * goes on is best not `async`: returning `next()`'s own promise from an async function costs
 * a promise and extra microtask turns per call and stage (bench/RESULTS.md, ninth session).
 * Refusing by throwing is fine: `dispatch` catches a throw and a rejection alike.
 */
export type Interceptor = (call: RegisteredMethod, req: Message, ctx: CallContext, next: () => Promise<Message>) => Promise<Message>;

export class Router {
  private readonly byPath = new Map<string, RegisteredMethod>();
  private readonly interceptors: Interceptor[] = [];
  private readonly guards: Guard[] = [];
  private readonly observers: RpcObserver[] = [];

  add<S extends DescService>(service: S, handlers: ServiceHandlers<S>): this {
    for (const method of service.methods) {
      const handler = (handlers as Record<string, AnyHandler | undefined>)[method.localName];
      const path = `/${service.typeName}/${method.name}`;
      this.byPath.set(path, { service, method, path, handler });
    }
    return this;
  }

  guard(guard: Guard): this {
    this.guards.push(guard);
    return this;
  }

  use(interceptor: Interceptor): this {
    this.interceptors.push(interceptor);
    return this;
  }

  /** Hears every RPC once it is answered (metrics); the REST gateway reports calls it refused itself. */
  observe(observer: RpcObserver): this {
    this.observers.push(observer);
    return this;
  }

  report(event: RpcEvent): void {
    for (const o of this.observers) o(event);
  }

  methods(): RegisteredMethod[] {
    return [...this.byPath.values()];
  }

  services(): DescService[] {
    return [...new Set(this.methods().map((m) => m.service))];
  }

  lookup(path: string): RegisteredMethod | undefined {
    return this.byPath.get(path);
  }

  /**
   * Validates, runs interceptors and the handler, logs one line, and returns the response. A
   * request that could not be decoded comes as its InvalidArgumentError, thrown after the guards.
   */
  async dispatch(call: RegisteredMethod, decoded: Message | InvalidArgumentError, ctx: CallContext): Promise<Message> {
    const started = performance.now();
    let code = 0;
    try {
      for (const guard of this.guards) {
        const pending = guard(call, ctx);
        if (pending !== undefined) await pending;
      }
      if (decoded instanceof InvalidArgumentError) throw decoded;
      const req = decoded;
      assertValid(call.method.input, req);
      const run = async (): Promise<Message> => {
        if (!call.handler) throw new UnimplementedError(`Method ${call.path} is not implemented`);
        const out = await call.handler(req, ctx);
        return isMessage(out, call.method.output) ? out : create(call.method.output, out as never);
      };
      let next = run;
      for (let i = this.interceptors.length - 1; i >= 0; i--) {
        const interceptor = this.interceptors[i]!;
        const inner = next;
        next = () => interceptor(call, req, ctx, inner);
      }
      return await next();
    } catch (err) {
      code = err instanceof ApiError ? err.code : 13;
      throw err;
    } finally {
      const elapsed = performance.now() - started;
      const durationMs = Math.round(elapsed * 1000) / 1000;
      const name = codeName(code);
      if (this.observers.length > 0) this.report({ method: call.path, protocol: ctx.protocol, code: name, seconds: elapsed / 1000 });
      logRpc(call.path, ctx.protocol, {
        code: name, durationMs, requestId: ctx.requestId,
        // The subject id only: never a token (the authentication guard puts it there).
        subject: ctx.values.get(LOGGED_SUBJECT),
      });
    }
  }
}

export { toStatus };
