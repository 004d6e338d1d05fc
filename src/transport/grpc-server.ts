/**
 * Serves a Router over gRPC with @grpc/grpc-js. Messages are (de)serialised with the
 * protobuf-es schemas of each method; errors carry google.rpc.Status in
 * `grpc-status-details-bin` as the Yandex Cloud API does.
 *
 *   const server = createGrpcServer(router);
 *   const injector = server.createConnectionInjector(ServerCredentials.createInsecure());
 */
import * as grpc from '@grpc/grpc-js';
import { fromBinary, toBinary, type Message } from '@bufbuild/protobuf';
import { StatusSchema } from '../gen/google/rpc/status_pb.js';
import type { CallContext, RegisteredMethod, Router } from './rpc.js';
import { toStatus } from './status.js';
import { ContextValues } from './context-values.js';
import { newTraceId, pickRequestId } from './request-ids.js';
import { grpcServerOptions } from './limits.js';
import { InvalidArgumentError } from '../domain/errors.js';
import { encodeBinary } from './encoded.js';

export function createGrpcServer(router: Router, options: grpc.ServerOptions = {}): grpc.Server {
  // Message size, streams per connection, idle and keepalive limits: see limits.ts.
  const server = new grpc.Server({ ...grpcServerOptions(), ...options });
  const byService = new Map<string, RegisteredMethod[]>();
  for (const m of router.methods()) {
    const list = byService.get(m.service.typeName) ?? [];
    list.push(m);
    byService.set(m.service.typeName, list);
  }
  for (const methods of byService.values()) {
    const definition: Record<string, grpc.MethodDefinition<Message, Message>> = {};
    const implementation: grpc.UntypedServiceImplementation = {};
    for (const m of methods) {
      definition[m.method.name] = {
        path: m.path,
        requestStream: false,
        responseStream: false,
        originalName: m.method.localName,
        requestSerialize: (msg: Message) => Buffer.from(toBinary(m.method.input, msg as never)),
        // grpc-js answers INTERNAL, unlogged, when this throws: the failure goes to dispatch instead.
        requestDeserialize: (buf: Buffer) => decodeRequest(m, buf) as Message,
        responseSerialize: (msg: Message) => asBuffer(encodeBinary(m.method.output, msg)),
        responseDeserialize: (buf: Buffer) => fromBinary(m.method.output, buf),
      };
      implementation[m.method.name] = unaryHandler(router, m);
    }
    server.addService(definition as grpc.ServiceDefinition, implementation);
  }
  return server;
}

/** The same bytes as a Buffer, not a copy (grpc-js copies them into its frame). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The request, or why its bytes are not one: INVALID_ARGUMENT, answered after authentication. */
function decodeRequest(m: RegisteredMethod, buf: Buffer): Message | InvalidArgumentError {
  try {
    return fromBinary(m.method.input, buf);
  } catch (err) {
    const reason = String((err as Error)?.message ?? err).slice(0, 200);
    return new InvalidArgumentError([], `Request is not a valid ${m.method.input.typeName} message: ${reason}`);
  }
}

function unaryHandler(router: Router, m: RegisteredMethod): grpc.handleUnaryCall<Message, Message> {
  return (call, callback) => {
    const ctx = new GrpcCallContext(m.path, call);
    const responseMd = new grpc.Metadata();
    responseMd.set('x-request-id', ctx.requestId);
    responseMd.set('x-server-trace-id', ctx.traceId);
    call.sendMetadata(responseMd);
    router.dispatch(m, call.request as Message | InvalidArgumentError, ctx).then(
      (out) => {
        ctx.finished = true;
        callback(null, out);
      },
      (err: unknown) => {
        ctx.finished = true;
        const status = toStatus(err, ctx.requestId);
        const trailer = new grpc.Metadata();
        trailer.set('grpc-status-details-bin', Buffer.from(toBinary(StatusSchema, status)));
        callback({ code: status.code, details: status.message, metadata: trailer }, null);
      },
    );
  };
}

/**
 * One call's context. A class, not an object literal with getters: it is made for every call,
 * and what only some calls read (user agent, abort signal) is worked out on first read.
 */
class GrpcCallContext implements CallContext {
  readonly protocol = 'grpc';
  readonly requestId: string;
  readonly traceId = newTraceId();
  /** Taken now: a connection that closes mid-call no longer knows its peer. */
  readonly peer: string;
  readonly values = new ContextValues();
  /** Set once the answer is given: a 'cancelled' after it is not an abort. */
  finished = false;
  private abort: AbortController | undefined;

  constructor(readonly method: string, private readonly call: grpc.ServerUnaryCall<Message, Message>) {
    this.requestId = pickRequestId((name) => this.header(name));
    this.peer = call.getPeer();
  }

  header(name: string): string | undefined {
    // grpc-js keeps pseudo-headers out of the metadata; the authority is what the client dialled.
    if (name === ':authority') return this.call.getHost() || undefined;
    const v = this.call.metadata.get(name)[0];
    return v === undefined ? undefined : String(v);
  }

  get userAgent(): string {
    return this.header('user-agent') ?? '';
  }

  /**
   * Made only when a handler asks for it: grpc-js emits 'cancelled' after the trailers of every
   * unary call, and an AbortController per call is measurable on Get.
   */
  get signal(): AbortSignal {
    if (!this.abort) {
      const abort = (this.abort = new AbortController());
      if (this.call.cancelled) abort.abort();
      else this.call.once('cancelled', () => this.finished || abort.abort());
    }
    return this.abort.signal;
  }
}
