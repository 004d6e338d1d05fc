/**
 * `npm run bench` (third part): the same Get and List loads as the main bench, on three set-ups
 * of one installation with 150 images in a folder: the embedded store (SQLite), PostgreSQL with
 * one replica, and PostgreSQL with two replicas (the load split evenly, both replicas loaded at
 * once, one load generator each). Rounds alternate the set-ups. Every target's answers are
 * checked once before it is loaded; every answer under load is counted by status: wrk and the
 * Node clients count non-2xx or non-OK ones, and for gRPC (h2load sees only HTTP 200) each
 * replica's own RPC log is read after the run and every non-OK line counts as an error.
 * Results go to bench/results/replicas.{json,md}; the figures in bench/RESULTS.md come from it.
 *
 * The PostgreSQL database is made for the run (`clouddesk_bench_<random>`) and dropped at the end.
 *
 *   node dist/bench/replicas.js                          # 3 rounds of 5 s, about 3 minutes
 *   node dist/bench/replicas.js --rounds 1 --duration 3
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createTempDatabase, TEST_SERVER_URL } from '../src/storage/postgres/temp-store.js';
import { BOOTSTRAP_TOKEN } from '../test/harness/server.js';
import { startImageSource } from '../test/harness/image-source.js';
import { WireConnection } from './grpc-wire.js';
import { copyDesktopImages, importComputeImage } from './fixtures.js';
import { grpcPreflight, imageGrpcTargets, imageRestUrls, restPreflight } from './preflight.js';
import { cpuTimeMs, machineTicks, peakRssKiB, ROOT, startClouddesk, type BenchProcess } from './processes.js';
import { pickGrpcLoadgen, runGrpcLoad, type GrpcLoadgen } from './loadgen/grpc.js';
import { pickHttpLoadgen, runHttpLoad, type HttpLoadgen } from './loadgen/http1.js';
import type { LoadResult } from './loadgen/load-result.js';
import { median } from './stats.js';
import { num } from './options.js';
import { ServerLog } from './server-log.js';

const FOLDER = 'bench';
const IMAGES = 150;
const headers = { authorization: `Bearer ${BOOTSTRAP_TOKEN}` };
const log = (line: string) => process.stdout.write(`${line}\n`);

type Setup = 'SQLite, 1 replica' | 'PostgreSQL, 1 replica' | 'PostgreSQL, 2 replicas';
type Load = 'gRPC Get' | 'gRPC List' | 'REST Get' | 'REST List';
const LOADS: readonly Load[] = ['gRPC Get', 'gRPC List', 'REST Get', 'REST List'];

interface Run {
  round: number;
  setup: Setup;
  load: Load;
  rps: number;
  /** The worse of the replicas' medians and 99th percentiles. */
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  /** Server CPU per answered call, summed over the replicas. */
  serverUsPerCall: number;
  machineBusyPct: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '3' },
      duration: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      concurrency: { type: 'string', default: '32' },
    },
  });
  const rounds = num('rounds', values.rounds, 1);
  const durationS = num('duration', values.duration, 1);
  const warmupS = num('warmup', values.warmup, 0);
  const concurrency = num('concurrency', values.concurrency, 1);
  const grpcGen = pickGrpcLoadgen('auto');
  const httpGen = await pickHttpLoadgen('auto');
  const workDir = mkdtempSync(join(os.tmpdir(), 'clouddesk-bench-replicas-'));
  const gens = { grpc: grpcGen, http: httpGen, dir: join(workDir, 'loadgen') };
  const db = await createTempDatabase('bench', { name: `clouddesk_bench_${process.pid}_${Date.now().toString(36)}` });
  const src = await startImageSource();
  const servers: BenchProcess[] = [];
  const logs = new Map<BenchProcess, ServerLog>();
  const start = async (name: string, database?: string) => {
    const server = await startClouddesk({
      dataDir: join(workDir, name), logFile: join(workDir, `${name}.log`), token: BOOTSTRAP_TOKEN,
      serveArgs: database ? ['--database', database] : [],
    });
    servers.push(server);
    logs.set(server, new ServerLog(join(workDir, `${name}.log`)));
    return server;
  };
  try {
    log(`replicas bench: ${rounds} rounds × ${durationS} s per load, ${concurrency} in flight in all; gRPC load ${grpcGen}, REST load ${httpGen}; PostgreSQL ${TEST_SERVER_URL}`);
    const sqlite = await start('sqlite');
    const pgA = await start('pg-a', db.url);
    const pgB = await start('pg-b', db.url);
    // Each store gets the same folder of images, made through its own API.
    const ids = new Map<BenchProcess, string>();
    for (const server of [sqlite, pgA]) {
      const conn = new WireConnection(originOf(server), headers);
      try {
        const compute = await importComputeImage(conn, { folderId: 'bench-src', name: 'src', uri: src.url('/raw?size=1048576&seed=1') }, 60_000);
        const images = await copyDesktopImages(conn, compute.id, FOLDER, IMAGES, 16);
        ids.set(server, images[0]!.id);
      } finally {
        conn.close();
      }
    }
    ids.set(pgB, ids.get(pgA)!); // one database: B serves what A made
    const setups: Record<Setup, BenchProcess[]> = {
      'SQLite, 1 replica': [sqlite],
      'PostgreSQL, 1 replica': [pgA],
      'PostgreSQL, 2 replicas': [pgA, pgB],
    };
    for (const server of servers) await checkAnswers(server, ids.get(server)!);
    log(`set-up: ${IMAGES} images in folder "${FOLDER}" on each store; every replica answered Get and List correctly over gRPC and REST`);

    const runs: Run[] = [];
    for (let round = 0; round <= rounds; round++) {
      for (const load of LOADS) {
        for (const [setup, replicas] of Object.entries(setups) as [Setup, BenchProcess[]][]) {
          const loads = replicas.map((server) => () => loadOne(gens, load, server, ids.get(server)!, Math.max(1, Math.round(concurrency / replicas.length)), round === 0 ? 1 : durationS, round === 0 ? 0 : warmupS));
          for (const r of replicas) logs.get(r)!.skipToEnd();
          const run = await measured(replicas.map((s) => s.pid), round === 0 ? 0 : warmupS, loads);
          // h2load sees only HTTP 200: the servers' own logs say which answers were not OK. The
          // node load generator decodes each answer and counts those itself.
          if (load.startsWith('gRPC') && grpcGen === 'h2load') {
            for (const r of replicas) {
              const { byCode } = await logs.get(r)!.readRpcs();
              run.errors += Object.entries(byCode).reduce((n, [code, k]) => n + (code === 'OK' ? 0 : k), 0);
            }
          }
          if (round === 0) continue; // priming: not recorded
          runs.push({ round, setup, load, ...run });
          log(`[round ${round}] ${load.padEnd(9)} ${setup.padEnd(22)} ${Math.round(run.rps).toLocaleString('en-US')} req/s, p50 ${run.p50Ms.toFixed(2)} ms, p99 ${run.p99Ms.toFixed(2)} ms, ${run.errors} errors; ${run.serverUsPerCall.toFixed(0)} µs server CPU/call; machine ${run.machineBusyPct.toFixed(0)}% busy`);
        }
      }
    }
    const rss = Object.fromEntries(servers.map((s, i) => [['sqlite', 'pg-a', 'pg-b'][i]!, peakRssKiB(s.pid)]));
    const record = { startedAt: new Date().toISOString(), command: `node dist/bench/replicas.js ${process.argv.slice(2).join(' ')}`.trim(), nproc: os.availableParallelism(), rounds, durationS, concurrency, images: IMAGES, grpcGen, httpGen, peakRssKiB: rss, runs };
    const table = render(runs);
    log(`\n${table}`);
    mkdirSync(resolve(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(resolve(ROOT, 'bench/results/replicas.json'), `${JSON.stringify(record, null, 2)}\n`);
    writeFileSync(resolve(ROOT, 'bench/results/replicas.md'), `${table}\n`);
  } finally {
    for (const server of servers) await server.stop();
    await src.close();
    await db.drop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

const originOf = (server: BenchProcess) => `http://127.0.0.1:${server.port}`;

const grpcTargets = (imageId: string) => imageGrpcTargets(imageId, FOLDER);
const restUrls = (server: BenchProcess, imageId: string) => imageRestUrls(originOf(server), imageId, FOLDER);

async function checkAnswers(server: BenchProcess, imageId: string): Promise<void> {
  await grpcPreflight(`replica ${server.pid}`, originOf(server), headers, grpcTargets(imageId), imageId);
  const rest = await restPreflight(restUrls(server, imageId), imageId, headers);
  if (!rest.available) throw new Error(`replica ${server.pid} REST: ${rest.note}`);
}

function loadOne(
  gens: { grpc: GrpcLoadgen; http: HttpLoadgen; dir: string },
  load: Load, server: BenchProcess, imageId: string, concurrency: number, durationS: number, warmupS: number,
): Promise<LoadResult> {
  const rpc = load.endsWith('Get') ? 'get' : 'list';
  if (load.startsWith('REST')) return runHttpLoad(gens.http, { url: restUrls(server, imageId)[rpc], headers, concurrency, durationS, warmupS });
  const t = grpcTargets(imageId);
  // h2load keeps its files in a directory of its own per replica: the replicas are loaded at once.
  const dir = join(gens.dir, String(server.pid));
  mkdirSync(dir, { recursive: true });
  return runGrpcLoad(gens.grpc, { origin: originOf(server), path: t.paths[rpc], body: t.bodies[rpc], headers, concurrency, durationS, warmupS }, dir);
}

/** Runs the loads at once and samples the replicas' CPU and the machine over the measured window. */
async function measured(pids: number[], warmupS: number, loads: (() => Promise<LoadResult>)[]): Promise<Omit<Run, 'round' | 'setup' | 'load'>> {
  let from: { cpu: number[]; ticks: { busy: number; total: number } } | undefined;
  const timer = setTimeout(() => (from = { cpu: pids.map((pid) => cpuTimeMs(pid)), ticks: machineTicks() }), warmupS * 1000);
  const results = await Promise.all(loads.map((l) => l()));
  clearTimeout(timer);
  const cpuMs = from ? pids.reduce((sum, pid, i) => sum + cpuTimeMs(pid) - from!.cpu[i]!, 0) : 0;
  const ticks = machineTicks();
  const requests = results.reduce((n, r) => n + r.requests, 0);
  return {
    rps: results.reduce((n, r) => n + r.rps, 0),
    p50Ms: Math.max(...results.map((r) => r.p50Ms)),
    p99Ms: Math.max(...results.map((r) => r.p99Ms)),
    requests,
    errors: results.reduce((n, r) => n + r.errors, 0),
    serverUsPerCall: requests > 0 ? (cpuMs * 1000) / requests : 0,
    machineBusyPct: from ? (100 * (ticks.busy - from.ticks.busy)) / (ticks.total - from.ticks.total) : 0,
  };
}

/** Medians over the rounds, one row per load and set-up. */
function render(runs: Run[]): string {
  const lines = ['| load | set-up | req/s | p50 ms | p99 ms | server µs CPU/call | machine busy | errors |', '|---|---|---:|---:|---:|---:|---:|---:|'];
  for (const load of LOADS) {
    for (const setup of ['SQLite, 1 replica', 'PostgreSQL, 1 replica', 'PostgreSQL, 2 replicas'] as const) {
      const rs = runs.filter((r) => r.load === load && r.setup === setup);
      if (rs.length === 0) continue;
      const m = (f: (r: Run) => number) => median(rs.map(f));
      lines.push(`| ${load} | ${setup} | ${Math.round(m((r) => r.rps)).toLocaleString('en-US')} | ${m((r) => r.p50Ms).toFixed(2)} | ${m((r) => r.p99Ms).toFixed(2)} | ${m((r) => r.serverUsPerCall).toFixed(0)} | ${m((r) => r.machineBusyPct).toFixed(0)} % | ${rs.reduce((n, r) => n + r.errors, 0)} |`);
    }
  }
  return lines.join('\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`replicas bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
