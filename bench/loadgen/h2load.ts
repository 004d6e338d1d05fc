/**
 * gRPC load with h2load (Debian's nghttp2-client): one h2c connection, N streams in flight, the
 * pre-encoded request body from a file. h2load is C and far lighter per call than any gRPC
 * client. Its per-request log (--log-file) gives the latency percentiles; it cannot see
 * grpc-status (always HTTP 200), so run.ts checks statuses separately (pre-flight call and the
 * server's own RPC log).
 *
 *   const tool = h2loadVersion();   // undefined when h2load is not installed
 *   const result = await runH2load(load, workDir);
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { percentile, sortNumbers } from '../stats.js';
import type { GrpcLoad, LoadResult } from './load-result.js';

const run = promisify(execFile);

export function h2loadVersion(): string | undefined {
  try {
    const out = execFileSync('h2load', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return /h2load nghttp2\/(\S+)/.exec(out)?.[1] ?? out.trim();
  } catch {
    return undefined;
  }
}

export async function runH2load(load: GrpcLoad, workDir: string): Promise<LoadResult> {
  const bodyFile = join(workDir, 'h2load-body.bin');
  const logFile = join(workDir, 'h2load-requests.log');
  writeFileSync(bodyFile, load.body);
  const args = [
    '-c', '1', // one connection, like one gRPC channel
    '-t', '1',
    '-m', String(load.concurrency),
    '-D', `${load.durationS}s`,
    '--warm-up-time', `${load.warmupS}s`,
    '-d', bodyFile,
    '-H', 'content-type: application/grpc',
    '-H', 'te: trailers',
    ...Object.entries(load.headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
    '--log-file', logFile,
    `${load.origin}${load.path}`,
  ];
  const { stdout } = await run('h2load', args, { maxBuffer: 16 * 1024 * 1024 });
  const requests = /requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/.exec(stdout);
  if (!requests) throw new Error(`unexpected h2load output:\n${stdout}`);
  const [succeeded, failed, errored, timeout] = [requests[4], requests[5], requests[6], requests[7]].map(Number) as [number, number, number, number];
  // Columns: start (µs since epoch), HTTP status, µs until the end of the response.
  const latencies: number[] = [];
  let non200 = 0;
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (line === '') continue;
    const [, status, micros] = line.split('\t');
    if (status === '0') continue; // still in flight when the run stopped: not a completed request
    if (status !== '200') non200++;
    latencies.push(Number(micros) / 1000);
  }
  rmSync(logFile, { force: true });
  const sorted = sortNumbers(latencies);
  return {
    tool: `h2load ${h2loadVersion() ?? ''}`.trim(),
    requests: succeeded,
    seconds: load.durationS,
    rps: succeeded / load.durationS,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    errors: failed + errored + timeout + non200,
  };
}
