/**
 * Fallback load generator, for machines without h2load or wrk: a separate Node process that
 * keeps N requests in flight with nothing but node:http2 / node:http and a pre-encoded body, so
 * it costs far less per call than a gRPC client (no grpc-js, no protobuf work). It checks every
 * gRPC status in the trailers, which h2load cannot.
 *
 *   node dist/bench/loadgen/node-client.js '{"mode":"grpc","origin":...,"bodyBase64":...}'
 *   → one JSON LoadResult line on stdout
 */
import http from 'node:http';
import http2 from 'node:http2';
import { percentile, sortNumbers } from '../stats.js';
import type { LoadResult } from './load-result.js';

interface Spec {
  mode: 'grpc' | 'http1';
  /** grpc: origin + path + bodyBase64; http1: url. */
  origin?: string;
  path?: string;
  bodyBase64?: string;
  url?: string;
  headers: Record<string, string>;
  concurrency: number;
  durationS: number;
  warmupS: number;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as Spec;
const start = performance.now();
const measureFrom = start + spec.warmupS * 1000;
const measureTo = measureFrom + spec.durationS * 1000;
const latencies: number[] = [];
let errors = 0;
let bodyBytes = 0;
let stopping = false;

function record(t0: number, ok: boolean, bytes: number): void {
  const t1 = performance.now();
  if (t1 < measureFrom || t1 > measureTo) return;
  if (ok) {
    latencies.push(t1 - t0);
    bodyBytes += bytes;
  } else errors++;
}

function runGrpc(done: () => void): void {
  const session = http2.connect(spec.origin!);
  session.on('error', (err) => {
    process.stderr.write(`session error: ${err.message}\n`);
    process.exit(1);
  });
  const body = Buffer.from(spec.bodyBase64!, 'base64');
  const headers = {
    ':method': 'POST',
    ':path': spec.path!,
    'content-type': 'application/grpc',
    te: 'trailers',
    ...spec.headers,
  };
  let inflight = 0;
  const fire = () => {
    inflight++;
    const t0 = performance.now();
    const stream = session.request(headers);
    let status: string | undefined;
    let bytes = 0;
    stream.on('response', (h) => {
      if (h['grpc-status'] !== undefined) status = String(h['grpc-status']);
    });
    stream.on('trailers', (h) => {
      if (h['grpc-status'] !== undefined) status = String(h['grpc-status']);
    });
    stream.on('data', (c: Buffer) => (bytes += c.length));
    const finish = (ok: boolean) => {
      inflight--;
      record(t0, ok, bytes);
      if (!stopping) fire();
      else if (inflight === 0) {
        session.close();
        done();
      }
    };
    stream.on('end', () => finish(status === '0'));
    stream.on('error', () => finish(false));
    stream.end(body);
  };
  for (let i = 0; i < spec.concurrency; i++) fire();
}

function runHttp1(done: () => void): void {
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.concurrency });
  let workers = spec.concurrency;
  const loop = () => {
    if (stopping) {
      if (--workers === 0) {
        agent.destroy();
        done();
      }
      return;
    }
    const t0 = performance.now();
    const req = http.get(spec.url!, { agent, headers: spec.headers }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => {
        record(t0, res.statusCode! >= 200 && res.statusCode! < 400, bytes);
        loop();
      });
    });
    req.on('error', () => {
      record(t0, false, 0);
      loop();
    });
  };
  for (let i = 0; i < spec.concurrency; i++) loop();
}

const finish = () => {
  const sorted = sortNumbers(latencies);
  const result: LoadResult = {
    tool: spec.mode === 'grpc' ? `node:http2 client (pre-encoded, ${process.version})` : `node:http client (${process.version})`,
    requests: latencies.length,
    seconds: spec.durationS,
    rps: latencies.length / spec.durationS,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    errors,
    bodyBytesPerRequest: latencies.length > 0 ? bodyBytes / latencies.length : undefined,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
};

setTimeout(() => (stopping = true), measureTo - start);
if (spec.mode === 'grpc') runGrpc(finish);
else runHttp1(finish);
