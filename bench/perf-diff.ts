/**
 * Where one read's CPU goes, beside its ceiling, as the kernel's sampler sees it: `perf record`
 * of the server process (user and kernel time, native and JIT code, named through node's
 * --perf-basic-prof) under run.js's load, first clouddesk, then the ceiling. It prints µs per
 * request by part (clouddesk's JavaScript, grpc-js, V8 builtins, GC, node's C++, the kernel …)
 * and the symbols that differ most. Unlike --cpu-prof it counts what V8's profiler cannot see
 * (the system calls, the kernel's work on loopback, other threads), and it does not slow the
 * JavaScript it samples, so small costs are not inflated.
 *
 * Needs `perf` (Debian: linux-perf) and either root or kernel.perf_event_paranoid ≤ 1.
 *
 *   node dist/bench/perf-diff.js --rpc rest-get               # or grpc-get, grpc-list, rest-list
 *   node dist/bench/perf-diff.js --rpc grpc-get --seconds 8 --top 60
 *   node dist/bench/perf-diff.js --rpc rest-get --build /tmp/base   # another build's server
 *
 * The report also goes to bench/results/perf-diff-<rpc>.txt.
 */
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { BOOTSTRAP_TOKEN } from '../test/harness/server.js';
import { startImageSource } from '../test/harness/image-source.js';
import { copyDesktopImages, importComputeImage } from './fixtures.js';
import { WireConnection } from './grpc-wire.js';
import { pickGrpcLoadgen, runGrpcLoad } from './loadgen/grpc.js';
import { pickHttpLoadgen, runHttpLoad } from './loadgen/http1.js';
import type { LoadResult } from './loadgen/load-result.js';
import { num, oneOf } from './options.js';
import { grpcPreflight, imageGrpcTargets, imageRestUrls, restPreflight } from './preflight.js';
import { ROOT, startCeiling, startClouddesk, type BenchProcess } from './processes.js';

const run = promisify(execFile);
const RPCS = ['grpc-get', 'grpc-list', 'rest-get', 'rest-list'] as const;
type Rpc = (typeof RPCS)[number];
const FOLDER = 'bench';
const headers = { authorization: `Bearer ${BOOTSTRAP_TOKEN}` };
const printed: string[] = [];
const log = (line: string) => {
  printed.push(line);
  process.stdout.write(`${line}\n`);
};

/** µs per request of one server under one load, by symbol and by part. */
interface Sampled {
  requests: number;
  rps: number;
  totalUs: number;
  bySymbol: Map<string, number>;
  byPart: Map<string, number>;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rpc: { type: 'string', default: 'rest-get' },
      seconds: { type: 'string', default: '6' },
      images: { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '32' },
      top: { type: 'string', default: '40' },
      build: { type: 'string' },
      keep: { type: 'string' },
    },
  });
  const rpc = oneOf('rpc', values.rpc, RPCS);
  const seconds = num('seconds', values.seconds, 1);
  const concurrency = num('concurrency', values.concurrency, 1);
  const top = num('top', values.top, 1);
  const images = num('images', values.images, 100);
  try {
    execFileSync('perf', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('perf-diff needs perf: apt-get install -y linux-perf');
  }

  const workDir = mkdtempSync(join(os.tmpdir(), 'clouddesk-perf-'));
  const src = await startImageSource();
  let clouddesk: BenchProcess | undefined;
  let ceiling: BenchProcess | undefined;
  try {
    const flags = ['--perf-basic-prof'];
    clouddesk = await startClouddesk({
      dataDir: join(workDir, 'data'), logFile: join(workDir, 'clouddesk.log'), token: BOOTSTRAP_TOKEN, nodeFlags: flags,
      root: values.build === undefined ? undefined : resolve(values.build),
    });
    ceiling = await startCeiling(flags);
    const origin = `http://127.0.0.1:${clouddesk.port}`;
    const conn = new WireConnection(origin, headers);
    let getId: string;
    try {
      const source = await importComputeImage(conn, { folderId: 'bench-src', name: 'src-1mib', uri: src.url('/raw?size=1048576&seed=1') }, 60_000);
      getId = (await copyDesktopImages(conn, source.id, FOLDER, images, 16))[0]!.id;
    } finally {
      conn.close();
    }
    log(`perf-diff ${rpc}: ${images} images, ${concurrency} in flight, ${seconds} s sampled per server (clouddesk ${values.build ?? 'this build'})`);

    const ceilingOrigin = `http://127.0.0.1:${rpc.startsWith('grpc') ? ceiling.port : ceiling.restPort}`;
    const targets = imageGrpcTargets(getId, FOLDER);
    if (rpc.startsWith('grpc')) {
      await grpcPreflight('clouddesk', origin, headers, targets, getId);
      await grpcPreflight('ceiling', ceilingOrigin, headers, targets, undefined);
    } else {
      for (const [name, at, id] of [['clouddesk', origin, getId], ['ceiling', ceilingOrigin, undefined]] as const) {
        const check = await restPreflight(imageRestUrls(at, getId, FOLDER), id, headers);
        if (!check.available) throw new Error(`${name} REST: ${check.note}`);
      }
    }
    const load = loadOf(rpc, targets, getId, concurrency, workDir);
    const ours = await sample(clouddesk.pid, () => load(origin, seconds), seconds, join(workDir, 'clouddesk.perf'));
    const theirs = await sample(ceiling.pid, () => load(ceilingOrigin, seconds), seconds, join(workDir, 'ceiling.perf'));
    report(ours, theirs, top);
    if (values.keep !== undefined) keepRecordings(workDir, resolve(values.keep));
    mkdirSync(resolve(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(resolve(ROOT, `bench/results/perf-diff-${rpc}.txt`), `${printed.join('\n')}\n`);
  } finally {
    await clouddesk?.stop();
    await ceiling?.stop();
    await src.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Copies both recordings (and the JIT symbol maps perf needs to name JavaScript) to `dir`, for
 * `perf report -i DIR/clouddesk.perf -G` (callers of a symbol) after the servers are gone.
 */
function keepRecordings(workDir: string, dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const name of ['clouddesk.perf', 'ceiling.perf']) copyFileSync(join(workDir, name), join(dir, name));
  log(`recordings kept in ${dir} (the JIT maps are /tmp/perf-<pid>.map)`);
}

/** The load of `rpc` against an origin for `seconds`, checked for errors. */
function loadOf(rpc: Rpc, targets: ReturnType<typeof imageGrpcTargets>, getId: string, concurrency: number, workDir: string) {
  return async (origin: string, seconds: number): Promise<LoadResult> => {
    const result = rpc.startsWith('grpc')
      ? await runGrpcLoad(pickGrpcLoadgen('auto'), {
          origin, headers, concurrency, durationS: seconds, warmupS: 0,
          path: rpc === 'grpc-get' ? targets.paths.get : targets.paths.list,
          body: rpc === 'grpc-get' ? targets.bodies.get : targets.bodies.list,
        }, workDir)
      : await runHttpLoad(await pickHttpLoadgen('auto'), {
          url: imageRestUrls(origin, getId, FOLDER)[rpc === 'rest-get' ? 'get' : 'list'], headers, concurrency, durationS: seconds, warmupS: 0,
        });
    if (result.errors > 0) throw new Error(`${rpc} on ${origin}: ${result.errors} errors`);
    return result;
  };
}

/**
 * A warm-up load, then the measured load with `perf record` on the server for as long. Only
 * samples of the server's own threads count (cpu-clock with -p: idle time is not sampled), so
 * their sum divided by the requests is the CPU each request cost, wherever it was spent.
 */
async function sample(pid: number, load: () => Promise<LoadResult>, seconds: number, file: string): Promise<Sampled> {
  await load();
  const recording = run('perf', ['record', '-e', 'cpu-clock', '-F', '1999', '-g', '-p', String(pid), '-o', file, '--', 'sleep', String(seconds)]);
  const result = await load();
  await recording;
  const { stdout } = await run('perf', ['report', '-i', file, '--no-children', '--sort', 'dso,sym', '--stdio'], { maxBuffer: 256 * 1024 * 1024 });
  const total = Number(/Event count \(approx\.\): (\d+)/.exec(stdout)?.[1] ?? NaN) / 1000; // cpu-clock counts ns
  const bySymbol = new Map<string, number>();
  const byPart = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const m = /^\s+([\d.]+)%\s+(.+?)\s+\[(.)\]\s+(.*?)\s*$/.exec(line);
    if (!m) continue;
    const us = (Number(m[1]) / 100) * (total / result.requests);
    const symbol = m[4]!.replace(/(?:file:\/\/)?\/\S*?\/(dist|node_modules)\//g, '$1/');
    bySymbol.set(symbol, (bySymbol.get(symbol) ?? 0) + us);
    const part = partOf(m[2]!, symbol);
    byPart.set(part, (byPart.get(part) ?? 0) + us);
  }
  return { requests: result.requests, rps: result.rps, totalUs: total / result.requests, bySymbol, byPart };
}

/** Which part of the process a sample's symbol belongs to. */
function partOf(dso: string, symbol: string): string {
  if (dso.includes('kernel')) return 'kernel';
  if (symbol.includes('dist/src/')) return 'clouddesk JavaScript';
  for (const [lib, name] of [['@grpc/grpc-js', 'grpc-js'], ['@bufbuild/protobuf', 'protobuf-es'], ['pino', 'pino'], ['prom-client', 'prom-client']] as const) {
    if (symbol.includes(`node_modules/${lib}/`)) return name;
  }
  if (/^JS:\S* node:/.test(symbol)) return "node's JavaScript";
  if (/Scaveng|Sweep|MarkCompact|Heap::|GCTracer|Evacuat/.test(symbol)) return 'V8 garbage collection';
  if (symbol.startsWith('Builtins_')) return 'V8 builtins';
  if (symbol.startsWith('nghttp2') || symbol.startsWith('llhttp')) return 'nghttp2 / llhttp';
  if (dso.startsWith('libc')) return 'libc (malloc, memcpy)';
  return `other native (${dso})`;
}

function report(ours: Sampled, theirs: Sampled, top: number): void {
  const row = (us: number) => us.toFixed(2).padStart(8);
  log(`\nclouddesk: ${Math.round(ours.rps)} req/s, ${ours.totalUs.toFixed(1)} µs CPU per request; ceiling: ${Math.round(theirs.rps)} req/s, ${theirs.totalUs.toFixed(1)} µs`);
  log('\nµs per request by part: clouddesk, ceiling, difference');
  const parts = [...new Set([...ours.byPart.keys(), ...theirs.byPart.keys()])];
  parts.sort((a, b) => (ours.byPart.get(b) ?? 0) - (ours.byPart.get(a) ?? 0));
  for (const p of parts) {
    const a = ours.byPart.get(p) ?? 0;
    const b = theirs.byPart.get(p) ?? 0;
    log(`${row(a)}${row(b)}${row(a - b)}  ${p}`);
  }
  log(`\nthe ${top} symbols clouddesk spends most more on (µs per request): clouddesk, ceiling, difference`);
  const symbols = [...new Set([...ours.bySymbol.keys(), ...theirs.bySymbol.keys()])];
  const diff = (s: string) => (ours.bySymbol.get(s) ?? 0) - (theirs.bySymbol.get(s) ?? 0);
  symbols.sort((a, b) => diff(b) - diff(a));
  for (const s of symbols.slice(0, top)) log(`${row(ours.bySymbol.get(s) ?? 0)}${row(theirs.bySymbol.get(s) ?? 0)}${row(diff(s))}  ${s.slice(0, 140)}`);
}

await main();
