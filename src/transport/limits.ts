/**
 * Connection and message limits of the one port, in one place. Every value is a constant rather
 * than a flag for now; the listener takes overrides so tests can shorten the timers.
 *
 *   const listener = await startListener({ ..., limits: { headersTimeoutMs: 300 } });
 *   const server = new grpc.Server(grpcServerOptions());
 */
import type * as grpc from '@grpc/grpc-js';

export interface ConnectionLimits {
  /** A new plaintext connection must show HTTP/2 or HTTP/1 (a TLS one finish its handshake) by then. */
  readonly protocolTimeoutMs: number;
  /** An HTTP/1.1 request's headers must be complete by then (the slow-loris cut), measured from
   * the connection being handed to HTTP or from the previous response ending. Answered 408. */
  readonly headersTimeoutMs: number;
  /** An HTTP/1.1 connection idle between requests is closed after this. */
  readonly keepAliveTimeoutMs: number;
  /** Open connections allowed from one client address; more are closed at once. */
  readonly maxConnectionsPerAddress: number;
}

export const CONNECTION_LIMITS: ConnectionLimits = {
  protocolTimeoutMs: 10_000,
  headersTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnectionsPerAddress: 256,
};

/**
 * After a 413 the rest of the request body is read and thrown away, up to this many bytes or
 * for this long, before the connection closes: closing on a client that is still sending resets
 * the connection, and clients that send the whole body before reading (Python's http.client,
 * `requests`) then see a broken pipe instead of the 413.
 */
export const REST_DISCARD_MAX_BYTES = 64 * 1024 * 1024;
export const REST_DISCARD_MAX_MS = 10_000;

/** gRPC messages are small protobufs; 4 MiB is grpc-js's own default and what Yandex Cloud accepts. */
export const GRPC_MAX_RECEIVE_MESSAGE_BYTES = 4 * 1024 * 1024;
/** Streams at once on one HTTP/2 connection (each open Health.Watch costs ~15 KB). */
export const HTTP2_MAX_CONCURRENT_STREAMS = 100;
/** An HTTP/2 connection with no stream for this long gets GOAWAY and is closed. */
export const HTTP2_IDLE_TIMEOUT_MS = 5 * 60_000;
/** The server pings an HTTP/2 client after this long without a ping... */
export const HTTP2_KEEPALIVE_TIME_MS = 2 * 60_000;
/** ...and drops the connection when the ping is not answered within this. */
export const HTTP2_KEEPALIVE_TIMEOUT_MS = 20_000;

/**
 * grpc-js server options for the limits above (all read by grpc-js 1.14's Server). Larger
 * messages are refused with RESOURCE_EXHAUSTED from the length prefix, before being buffered
 * whole or decoded.
 */
export function grpcServerOptions(): grpc.ServerOptions {
  return {
    'grpc.max_receive_message_length': GRPC_MAX_RECEIVE_MESSAGE_BYTES,
    'grpc.max_concurrent_streams': HTTP2_MAX_CONCURRENT_STREAMS,
    'grpc.max_connection_idle_ms': HTTP2_IDLE_TIMEOUT_MS,
    'grpc.keepalive_time_ms': HTTP2_KEEPALIVE_TIME_MS,
    'grpc.keepalive_timeout_ms': HTTP2_KEEPALIVE_TIMEOUT_MS,
    // Clients may ping an idle connection (grpc-go and the SDKs do with keepalive enabled).
    'grpc.keepalive_permit_without_calls': 1,
    // clouddesk serves no channelz service, so nothing reads what grpc-js would count for it on
    // every call (call and stream trackers, a closure object and Date.now() per message).
    'grpc.enable_channelz': 0,
  };
}
