/**
 * grpc.health.v1.Health: Check and Watch, for load balancers, Kubernetes gRPC probes and
 * grpc_health_probe. Every service reports the server's own state: SERVING while `serving()`
 * holds (the store is open and stop() has not begun; app.ts gives the same test to /readyz),
 * NOT_SERVING otherwise. "" names the server as a whole; any other unknown name is NOT_FOUND for
 * Check and SERVICE_UNKNOWN for Watch, as the protocol asks.
 *
 *   const health = addHealthService(grpcServer, { serving: () => !stopped, services: router.services() });
 *   health.shutdown(); // in stop(): watchers get NOT_SERVING, then their streams end
 *
 * Health is added to the grpc-js server directly: Watch streams, which the Router does not carry.
 */
import * as grpc from '@grpc/grpc-js';
import { create, fromBinary, toBinary, type DescService } from '@bufbuild/protobuf';
import {
  Health,
  HealthCheckRequestSchema as RequestSchema,
  HealthCheckResponseSchema as ResponseSchema,
  HealthCheckResponse_ServingStatus as ServingStatus,
  type HealthCheckRequest,
  type HealthCheckResponse,
} from '../gen/grpc/health/v1/health_pb.js';

export { ServingStatus };

export interface HealthOptions {
  /** Whether the server can serve requests now. */
  serving: () => boolean;
  /** Services that answer by name, besides "" and Health itself. */
  services: readonly DescService[];
  /** How often Watch re-reads `serving()` for changes nobody reported through update(). */
  pollMs?: number;
}

export interface HealthReporter {
  /** The Health service descriptor, for reflection. */
  readonly service: DescService;
  /** The status of `name` now; undefined for an unknown service. */
  status(name: string): ServingStatus | undefined;
  /** Re-reads `serving()` and tells watchers about a change at once. */
  update(): void;
  /** NOT_SERVING from now on; watchers are told, then their streams end with UNAVAILABLE. */
  shutdown(): void;
}

interface Watcher {
  readonly name: string;
  readonly call: grpc.ServerWritableStream<HealthCheckRequest, HealthCheckResponse>;
  last?: ServingStatus;
}

/** Service names are short; an unknown one is echoed at most 100 characters long (a 3 MiB one hung clients). */
export function quoteName(name: string): string {
  const shown = JSON.stringify(name.length > 100 ? name.slice(0, 100) : name);
  return name.length > 100 ? `${shown} (${name.length} characters, truncated)` : shown;
}

export function addHealthService(server: grpc.Server, opts: HealthOptions): HealthReporter {
  const known = new Set(['', Health.typeName, ...opts.services.map((s) => s.typeName)]);
  const watchers = new Set<Watcher>();
  let down = false;
  let poll: NodeJS.Timeout | undefined;

  const status = (name: string): ServingStatus | undefined => {
    if (!known.has(name)) return undefined;
    return !down && opts.serving() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
  };
  const notify = (w: Watcher): void => {
    const now = status(w.name) ?? ServingStatus.SERVICE_UNKNOWN;
    if (now === w.last) return;
    w.last = now;
    w.call.write(create(ResponseSchema, { status: now }));
  };
  const update = (): void => watchers.forEach(notify);
  const unwatch = (w: Watcher): void => {
    watchers.delete(w);
    if (watchers.size === 0 && poll) {
      clearInterval(poll);
      poll = undefined;
    }
  };

  const check: grpc.handleUnaryCall<HealthCheckRequest, HealthCheckResponse> = (call, callback) => {
    const now = status(call.request.service);
    if (now === undefined) callback({ code: grpc.status.NOT_FOUND, details: `Unknown service ${quoteName(call.request.service)}` });
    else callback(null, create(ResponseSchema, { status: now }));
  };
  const watch: grpc.handleServerStreamingCall<HealthCheckRequest, HealthCheckResponse> = (call) => {
    const w: Watcher = { name: call.request.service, call };
    watchers.add(w);
    call.on('cancelled', () => unwatch(w));
    call.on('close', () => unwatch(w));
    notify(w);
    if (down) return end(w);
    if (!poll) {
      poll = setInterval(update, opts.pollMs ?? 1000);
      poll.unref();
    }
  };
  const end = (w: Watcher): void => {
    unwatch(w);
    w.call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'Server is shutting down' });
  };

  const definition: Record<string, grpc.MethodDefinition<HealthCheckRequest, HealthCheckResponse>> = {};
  for (const m of Health.methods) {
    definition[m.name] = {
      path: `/${Health.typeName}/${m.name}`,
      requestStream: false,
      responseStream: m.methodKind === 'server_streaming',
      originalName: m.localName,
      requestSerialize: (msg) => Buffer.from(toBinary(RequestSchema, msg)),
      requestDeserialize: (b) => fromBinary(RequestSchema, b),
      responseSerialize: (msg) => Buffer.from(toBinary(ResponseSchema, msg)),
      responseDeserialize: (b) => fromBinary(ResponseSchema, b),
    };
  }
  server.addService(definition as grpc.ServiceDefinition, { Check: check, Watch: watch });

  return {
    service: Health,
    status,
    update,
    shutdown() {
      down = true;
      update();
      // Open Watch streams would otherwise hold the graceful drain until its deadline.
      for (const w of [...watchers]) end(w);
    },
  };
}
