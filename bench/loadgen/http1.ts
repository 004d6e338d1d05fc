/**
 * HTTP/1.1 keep-alive load for the REST side: wrk (Debian) when installed, else autocannon when
 * it is a dependency, else the node:http fallback in node-client.ts (a separate process).
 * wrk has no warm-up phase, so a short unmeasured wrk run comes first.
 *
 *   const gen = pickHttpLoadgen('auto');         // 'wrk' | 'autocannon' | 'node'
 *   const result = await runHttpLoad(gen, load);
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import type { HttpLoad, LoadResult } from './load-result.js';
import { runNodeClient } from './node-runner.js';

const run = promisify(execFile);

export type HttpLoadgen = 'wrk' | 'autocannon' | 'node';

export function wrkVersion(): string | undefined {
  try {
    // `wrk --version` prints its banner and usage, and exits 1.
    execFileSync('wrk', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return undefined;
  } catch (err) {
    const out = String((err as { stdout?: string }).stdout ?? '');
    return /^wrk (\S+)/.exec(out)?.[1];
  }
}

async function autocannonModule(): Promise<AutocannonFn | undefined> {
  const name = 'autocannon'; // a variable, so that tsc does not require the package
  try {
    const mod = (await import(name)) as { default: AutocannonFn };
    return mod.default;
  } catch {
    return undefined;
  }
}

export async function pickHttpLoadgen(wanted: HttpLoadgen | 'auto'): Promise<HttpLoadgen> {
  if (wanted !== 'auto') return wanted;
  if (wrkVersion()) return 'wrk';
  if (await autocannonModule()) return 'autocannon';
  return 'node';
}

export async function runHttpLoad(gen: HttpLoadgen, load: HttpLoad): Promise<LoadResult> {
  switch (gen) {
    case 'wrk':
      return runWrk(load);
    case 'autocannon':
      return runAutocannon(load);
    case 'node':
      return runNodeClient({ mode: 'http1', url: load.url, headers: load.headers, concurrency: load.concurrency, durationS: load.durationS, warmupS: load.warmupS });
  }
}

async function runWrk(load: HttpLoad): Promise<LoadResult> {
  const base = ['-t', '1', '-c', String(load.concurrency), ...Object.entries(load.headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`])];
  if (load.warmupS > 0) await run('wrk', [...base, '-d', `${load.warmupS}s`, load.url]);
  const { stdout } = await run('wrk', [...base, '-d', `${load.durationS}s`, '--latency', load.url]);
  const total = /(\d+) requests in ([\d.]+)(\w+),/.exec(stdout);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  if (!total || !rps) throw new Error(`unexpected wrk output:\n${stdout}`);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  const socketErrors = sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  const requests = Number(total[1]);
  return {
    tool: `wrk ${wrkVersion() ?? ''}`.trim(),
    requests,
    seconds: toSeconds(Number(total[2]), total[3]!),
    rps: Number(rps[1]),
    p50Ms: wrkPercentile(stdout, '50%'),
    p99Ms: wrkPercentile(stdout, '99%'),
    errors: non2xx + socketErrors,
  };
}

function wrkPercentile(out: string, label: string): number {
  const m = new RegExp(`^\\s+${label}\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(out);
  if (!m) return NaN;
  return toSeconds(Number(m[1]), m[2]!) * 1000;
}

function toSeconds(value: number, unit: string): number {
  switch (unit) {
    case 'us':
      return value / 1e6;
    case 'ms':
      return value / 1e3;
    case 'm':
      return value * 60;
    default:
      return value;
  }
}

interface AutocannonResult {
  requests: { total: number };
  latency: { p50: number; p99: number };
  duration: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}
type AutocannonFn = (opts: Record<string, unknown>) => Promise<AutocannonResult>;

async function runAutocannon(load: HttpLoad): Promise<LoadResult> {
  const autocannon = await autocannonModule();
  if (!autocannon) throw new Error('autocannon is not installed');
  const common = { url: load.url, connections: load.concurrency, pipelining: 1, headers: load.headers };
  if (load.warmupS > 0) await autocannon({ ...common, duration: load.warmupS });
  const r = await autocannon({ ...common, duration: load.durationS });
  const seconds = r.duration;
  return {
    tool: 'autocannon (in the bench process)',
    requests: r.requests.total,
    seconds,
    rps: r.requests.total / seconds,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    errors: r.non2xx + r.errors + r.timeouts,
  };
}
