/** What every load generator reports for one measured run. */
export interface LoadResult {
  /** e.g. "h2load 1.52.0", "wrk 4.1.0", "node:http2 (pre-encoded)". */
  readonly tool: string;
  /** Completed requests in the measured window (warm-up excluded). */
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Failed, errored, timed out or non-2xx (HTTP) / non-OK (gRPC, where the tool can see it). */
  readonly errors: number;
  /** Response body bytes per completed request, where the tool reports it. */
  readonly bodyBytesPerRequest?: number;
}

export interface GrpcLoad {
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  /** /package.Service/Method */
  readonly path: string;
  /** The framed request body (5-byte prefix + protobuf). */
  readonly body: Buffer;
  readonly headers: Record<string, string>;
  readonly concurrency: number;
  readonly durationS: number;
  readonly warmupS: number;
}

export interface HttpLoad {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly concurrency: number;
  readonly durationS: number;
  readonly warmupS: number;
}
