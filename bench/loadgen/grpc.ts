/**
 * gRPC load: h2load when installed (preferred: C, one h2c connection, pre-encoded body), else the
 * node:http2 fallback process. Both send the same framed request with the same headers.
 *
 *   const gen = pickGrpcLoadgen('auto');      // 'h2load' | 'node'
 *   const result = await runGrpcLoad(gen, load, workDir);
 */
import type { GrpcLoad, LoadResult } from './load-result.js';
import { h2loadVersion, runH2load } from './h2load.js';
import { runNodeClient } from './node-runner.js';

export type GrpcLoadgen = 'h2load' | 'node';

export function pickGrpcLoadgen(wanted: GrpcLoadgen | 'auto'): GrpcLoadgen {
  if (wanted !== 'auto') return wanted;
  return h2loadVersion() ? 'h2load' : 'node';
}

export function runGrpcLoad(gen: GrpcLoadgen, load: GrpcLoad, workDir: string): Promise<LoadResult> {
  if (gen === 'h2load') return runH2load(load, workDir);
  return runNodeClient({
    mode: 'grpc',
    origin: load.origin,
    path: load.path,
    bodyBase64: load.body.toString('base64'),
    headers: load.headers,
    concurrency: load.concurrency,
    durationS: load.durationS,
    warmupS: load.warmupS,
  });
}
