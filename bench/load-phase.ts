/**
 * The load phase: every load once unrecorded (priming the JIT), then rounds of clouddesk (A)
 * and the ceiling (B) in turn for each gRPC load, then the same for the REST loads. Each run
 * also records the server's CPU per call and how busy the whole machine was, since a shared
 * machine makes req/s noisy, and the measured windows for the CPU profile summary.
 *
 *   const { runs, profileWindows } = await runLoadPhase({ options, targets, ... });
 */
import type { BenchOptions } from './options.js';
import type { GrpcTargets } from './preflight.js';
import type { LoadRun, Target } from './report.js';
import type { ProfileWindow } from './profile-summary.js';
import type { GrpcLoad, HttpLoad, LoadResult } from './loadgen/load-result.js';
import { runGrpcLoad, type GrpcLoadgen } from './loadgen/grpc.js';
import { runHttpLoad, type HttpLoadgen } from './loadgen/http1.js';
import { cpuTimeMs, machineTicks } from './processes.js';
import type { ServerLog } from './server-log.js';

export interface LoadPhaseInput {
  readonly options: BenchOptions;
  readonly grpcGen: GrpcLoadgen;
  readonly httpGen: HttpLoadgen;
  readonly workDir: string;
  readonly headers: Record<string, string>;
  readonly origins: Record<Target, string>;
  readonly pids: Record<Target, number>;
  readonly targets: GrpcTargets;
  /** undefined when REST is not available (or skipped). */
  readonly restUrls: Record<Target, { get: string; list: string }> | undefined;
  readonly serverLog: ServerLog;
  readonly log: (line: string) => void;
}

export interface LoadPhaseOutput {
  readonly runs: LoadRun[];
  /** Measured windows of the clouddesk runs, by run name. */
  readonly profileWindows: Map<string, ProfileWindow[]>;
}

/** Now on the clock of V8's CPU profiles (µs of the monotonic clock). */
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

export async function runLoadPhase(input: LoadPhaseInput): Promise<LoadPhaseOutput> {
  const { options: o, log } = input;
  const runs: LoadRun[] = [];
  const profileWindows = new Map<string, ProfileWindow[]>();
  const windowsOf = (name: string) => profileWindows.get(name) ?? profileWindows.set(name, []).get(name)!;
  const grpcRpcs = o.skipGrpc ? [] : o.rpcs;
  const restRpcs = input.restUrls ? o.rpcs : [];
  const grpcLoad = (rpc: 'get' | 'list', target: Target, durationS: number, warmupS: number): GrpcLoad => ({
    origin: input.origins[target],
    path: input.targets.paths[rpc],
    body: input.targets.bodies[rpc],
    headers: input.headers,
    concurrency: o.concurrency,
    durationS,
    warmupS,
  });
  const httpLoad = (rpc: 'get' | 'list', target: Target, durationS: number, warmupS: number): HttpLoad => ({
    url: input.restUrls![target][rpc],
    headers: input.headers,
    concurrency: o.concurrency,
    durationS,
    warmupS,
  });

  if (o.primeS > 0) {
    log(`priming every load for ${o.primeS} s (not recorded)`);
    for (const rpc of grpcRpcs) {
      for (const target of ['clouddesk', 'ceiling'] as const) await runGrpcLoad(input.grpcGen, grpcLoad(rpc, target, o.primeS, 0), input.workDir);
    }
    for (const rpc of restRpcs) {
      for (const target of ['clouddesk', 'ceiling'] as const) await runHttpLoad(input.httpGen, httpLoad(rpc, target, o.primeS, 0));
    }
  }

  for (let round = 1; round <= o.rounds; round++) {
    for (const rpc of grpcRpcs) {
      for (const target of ['clouddesk', 'ceiling'] as const) {
        const name = rpc === 'get' ? 'gRPC Get' : 'gRPC List';
        if (target === 'clouddesk') input.serverLog.skipToEnd();
        const from = nowUs() + o.warmupS * 1e6;
        const m = await measured(input.pids[target], o.warmupS, () => runGrpcLoad(input.grpcGen, grpcLoad(rpc, target, o.durationS, o.warmupS), input.workDir));
        if (target === 'clouddesk') windowsOf(name).push([from, nowUs()]);
        const serverRpcs = target === 'clouddesk' ? await input.serverLog.readRpcs() : undefined;
        runs.push({ round, name, target, ...m, serverRpcs });
        const codes = serverRpcs ? `; server log: ${Object.entries(serverRpcs.byCode).map(([c, n]) => `${n} ${c}`).join(', ')}` : '';
        log(`[round ${round}] ${name.padEnd(9)} ${target.padEnd(9)} ${describe(m)}${codes}`);
      }
    }
    for (const rpc of restRpcs) {
      for (const target of ['clouddesk', 'ceiling'] as const) {
        const name = rpc === 'get' ? 'REST Get' : 'REST List';
        const from = nowUs() + o.warmupS * 1e6;
        const m = await measured(input.pids[target], o.warmupS, () => runHttpLoad(input.httpGen, httpLoad(rpc, target, o.durationS, o.warmupS)));
        if (target === 'clouddesk') windowsOf(name).push([from, nowUs()]);
        runs.push({ round, name, target, ...m });
        log(`[round ${round}] ${name.padEnd(9)} ${target.padEnd(9)} ${describe(m)}`);
      }
    }
  }
  return { runs, profileWindows };
}

interface Measured {
  result: LoadResult;
  serverCpu?: { usPerCall: number; corePct: number };
  machineBusyPct?: number;
}

/**
 * Runs one load and samples the server's CPU time and the machine's busy time over the
 * measured window (from the end of the warm-up to the end of the run).
 */
async function measured(pid: number, warmupS: number, load: () => Promise<LoadResult>): Promise<Measured> {
  let start: { cpu: number; ticks: { busy: number; total: number }; t: number } | undefined;
  const timer = setTimeout(() => (start = { cpu: cpuTimeMs(pid), ticks: machineTicks(), t: performance.now() }), warmupS * 1000);
  const result = await load();
  clearTimeout(timer);
  if (!start) return { result };
  const cpu = cpuTimeMs(pid) - start.cpu;
  const ticks = machineTicks();
  const wallMs = performance.now() - start.t;
  return {
    result,
    serverCpu: { usPerCall: (cpu * 1000) / result.requests, corePct: (100 * cpu) / wallMs },
    machineBusyPct: (100 * (ticks.busy - start.ticks.busy)) / (ticks.total - start.ticks.total),
  };
}

function describe({ result: r, serverCpu, machineBusyPct }: Measured): string {
  const base = `${Math.round(r.rps).toLocaleString('en-US')} req/s, p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms, ${r.requests} requests, ${r.errors} errors`;
  if (!serverCpu) return base;
  return `${base}; server ${serverCpu.usPerCall.toFixed(0)} µs CPU/call, ${serverCpu.corePct.toFixed(0)}% of a core; machine ${machineBusyPct?.toFixed(0)}% busy`;
}
