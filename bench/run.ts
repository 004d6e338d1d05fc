/**
 * `npm run bench`: loopback load on the real clouddesk server beside a minimal grpc-js server
 * (the transport's ceiling), REST beside gRPC, and Copy time for a 1 MiB and a 1 GiB source
 * image. Prints the figures and records them in bench/results/latest.{json,md}.
 *
 *   node dist/bench/run.js                       # everything, about 3.5 minutes
 *   node dist/bench/run.js --rounds 1 --duration 3 --skip-copy
 *   node dist/bench/run.js --profile --skip-copy --rounds 2   # + where clouddesk's CPU went
 *   node dist/bench/run.js --help
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { BOOTSTRAP_TOKEN } from '../test/harness/server.js';
import { startImageSource } from '../test/harness/image-source.js';
import { HELP, parseOptions } from './options.js';
import { WireConnection } from './grpc-wire.js';
import { cpuTimeMs, peakRssKiB, ROOT, startCeiling, startClouddesk, type BenchProcess } from './processes.js';
import { copyDesktopImages, importComputeImage } from './fixtures.js';
import { grpcPreflight, imageGrpcTargets, imageRestUrls, restPreflight } from './preflight.js';
import { runLoadPhase } from './load-phase.js';
import { runCopyPhase } from './copy-phase.js';
import { ServerLog } from './server-log.js';
import { pickGrpcLoadgen } from './loadgen/grpc.js';
import { h2loadVersion } from './loadgen/h2load.js';
import { pickHttpLoadgen, wrkVersion } from './loadgen/http1.js';
import { copyTable, grpcTable, importLine, renderMarkdown, restTable, summarise, type BenchRecord } from './report.js';
import { summariseProfile, type ProfileWindow } from './profile-summary.js';

const FOLDER = 'bench';
const MIB = 1024 * 1024;
const headers = { authorization: `Bearer ${BOOTSTRAP_TOKEN}` };
const resultsDir = resolve(ROOT, 'bench/results');
const log = (line: string) => process.stdout.write(`${line}\n`);

function commandLine(): string {
  const args = process.argv.slice(2).join(' ');
  if (process.env['npm_lifecycle_event'] === 'bench') return `npm run bench${args ? ` -- ${args}` : ''}`;
  return `node dist/bench/run.js${args ? ` ${args}` : ''}`;
}

function machine(): Record<string, string | number> {
  return {
    nproc: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memory: `${Math.round(os.totalmem() / 1024 ** 3)} GiB`,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
  };
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  if (o.help) return void process.stdout.write(HELP);
  const started = performance.now();
  const workDir = mkdtempSync(join(os.tmpdir(), 'clouddesk-bench-'));
  const dataDir = join(workDir, 'data');
  const logFile = join(workDir, 'clouddesk.log');
  const profileDir = join(workDir, 'profile');
  const grpcGen = pickGrpcLoadgen(o.loadgen);
  const httpGen = await pickHttpLoadgen(o.httpLoadgen);
  const record: BenchRecord = {
    startedAt: new Date().toISOString(),
    command: commandLine(),
    machine: machine(),
    settings: { durationS: o.durationS, warmupS: o.warmupS, primeS: o.primeS, rounds: o.rounds, concurrency: o.concurrency, folderImages: o.images, copies: o.copies, bigMiB: o.bigMiB, profile: o.profile, serverLog: 'file (info level, one JSON line per RPC)' },
    loadgen: {
      grpc: grpcGen === 'h2load' ? `h2load ${h2loadVersion()} (nghttp2-client; -c 1 -t 1 -m ${o.concurrency}, pre-encoded body)` : 'node:http2 client process (pre-encoded body, no grpc-js)',
      http: httpGen === 'wrk' ? `wrk ${wrkVersion()} (-t 1 -c ${o.concurrency})` : httpGen === 'autocannon' ? 'autocannon' : 'node:http client process',
    },
    responseBytes: {},
    rest: { available: false, note: 'skipped (--skip-rest)' },
    runs: [],
    copies: [],
    peakRssKiB: {},
  };
  log(`clouddesk bench: ${record.command}`);
  log(`machine: ${JSON.stringify(record.machine)}`);
  log(`load generators: gRPC ${record.loadgen.grpc}; HTTP/1.1 ${record.loadgen.http}`);
  log(`work dir: ${workDir} (server log: ${logFile})`);

  let profileWindows = new Map<string, ProfileWindow[]>();
  const src = await startImageSource();
  let clouddesk: BenchProcess | undefined;
  let ceiling: BenchProcess | undefined;
  let conn: WireConnection | undefined;
  try {
    const nodeFlags = o.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    clouddesk = await startClouddesk({ dataDir, logFile, token: BOOTSTRAP_TOKEN, nodeFlags });
    ceiling = await startCeiling();
    const origins = { clouddesk: `http://127.0.0.1:${clouddesk.port}`, ceiling: `http://127.0.0.1:${ceiling.port}` };
    log(`clouddesk pid ${clouddesk.pid} on ${origins.clouddesk}; ceiling pid ${ceiling.pid} on ${origins.ceiling}`);
    conn = new WireConnection(origins.clouddesk, headers);

    // Set-up: one Compute image from the local source, desktop images copied from it.
    let t = performance.now();
    const small = await importComputeImage(conn, { folderId: 'bench-src', name: 'src-1mib', uri: src.url(`/raw?size=${MIB}&seed=1`) }, 60_000);
    const smallImportS = (performance.now() - t) / 1000;
    t = performance.now();
    const images = await copyDesktopImages(conn, small.id, FOLDER, o.images, 16);
    log(`set-up: imported ${small.id} (1 MiB) in ${smallImportS.toFixed(2)} s; copied ${images.length} desktop images into folder "${FOLDER}" in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const getId = images[0]!.id;

    const targets = imageGrpcTargets(getId, FOLDER);
    for (const target of ['clouddesk', 'ceiling'] as const) {
      const sizes = await grpcPreflight(target, origins[target], headers, targets, target === 'clouddesk' ? getId : undefined);
      record.responseBytes[`${target} Get`] = sizes.get;
      record.responseBytes[`${target} List`] = sizes.list;
    }
    const restUrlsOf = (origin: string) => imageRestUrls(origin, getId, FOLDER);
    const restUrls = restUrlsOf(origins.clouddesk);
    if (!o.skipRest) {
      record.rest = await restPreflight(restUrls, getId, headers);
      // The ceiling's answers are checked too: its req/s is what clouddesk's are divided by.
      const ceilingRest = await restPreflight(restUrlsOf(`http://127.0.0.1:${ceiling.restPort}`), undefined, headers);
      if (!ceilingRest.available) throw new Error(`the REST ceiling answers wrongly: ${ceilingRest.note}`);
    }
    log(`REST: ${record.rest.available ? 'available' : `not available: ${record.rest.note}`}`);

    const load = await runLoadPhase({
      options: o, grpcGen, httpGen, workDir, headers, origins, targets, log,
      pids: { clouddesk: clouddesk.pid, ceiling: ceiling.pid },
      restUrls: record.rest.available ? { clouddesk: restUrls, ceiling: restUrlsOf(`http://127.0.0.1:${ceiling.restPort}`) } : undefined,
      serverLog: new ServerLog(logFile),
    });
    record.runs.push(...load.runs);
    profileWindows = load.profileWindows;
    record.peakRssKiB['clouddesk after load (VmHWM)'] = peakRssKiB(clouddesk.pid);
    record.peakRssKiB['ceiling after load (VmHWM)'] = peakRssKiB(ceiling.pid);

    if (!o.skipCopy) {
      t = performance.now();
      const uri = src.url(`/raw?size=${o.bigMiB * MIB}&seed=2`);
      const cpuBefore = { all: cpuTimeMs(clouddesk.pid), main: cpuTimeMs(clouddesk.pid, true) };
      const big = await importComputeImage(conn, { folderId: 'bench-src', name: `src-${o.bigMiB}mib`, uri }, 600_000);
      const bigImportS = (performance.now() - t) / 1000;
      const perGiB = (ms: number) => (ms / o.bigMiB) * 1024;
      const serverCpu = {
        serverCpuMsPerGiB: perGiB(cpuTimeMs(clouddesk.pid) - cpuBefore.all),
        serverMainThreadCpuMsPerGiB: perGiB(cpuTimeMs(clouddesk.pid, true) - cpuBefore.main),
        loadAverage: os.loadavg()[0]!,
      };
      log(`copy: imported ${big.id} (${o.bigMiB} MiB) in ${bigImportS.toFixed(1)} s (not part of the Copy time)`);
      record.importSpeed = { mib: o.bigMiB, importMiBps: o.bigMiB / bigImportS, ...serverCpu, ...(await curlSpeed(src.url(`/raw?size=${o.bigMiB * MIB}&seed=3`), workDir, o.bigMiB)) };
      log(importLine(record.importSpeed));
      record.peakRssKiB['clouddesk after the large import (VmHWM)'] = peakRssKiB(clouddesk.pid);
      const bigLabel = `${o.bigMiB % 1024 === 0 ? `${o.bigMiB / 1024} GiB` : `${o.bigMiB} MiB`} raw`;
      const copy = await runCopyPhase({
        conn, copies: o.copies, blobsDir: join(dataDir, 'blobs'), log,
        sources: [
          { key: 'small', label: '1 MiB raw', computeImageId: small.id, bytes: MIB, importSeconds: smallImportS },
          { key: 'big', label: bigLabel, computeImageId: big.id, bytes: o.bigMiB * MIB, importSeconds: bigImportS },
        ],
      });
      record.copies.push(...copy.copies);
      record.blobStoreBytes = copy.blobStoreBytes;
      record.peakRssKiB['clouddesk at the end (VmHWM)'] = peakRssKiB(clouddesk.pid);
    }
  } finally {
    conn?.close();
    await ceiling?.stop();
    const code = await clouddesk?.stop(); // a clean exit is also when --cpu-prof writes the profile
    if (code !== undefined && code !== 0) log(`clouddesk exited with ${code}; see ${logFile}`);
    await src.close();
  }

  record.totalSeconds = (performance.now() - started) / 1000;
  report(record);
  if (o.profile) summariseProfiles(profileDir, profileWindows);
  if (o.keep) log(`kept: ${workDir}`);
  else if (o.profile) rmSync(dataDir, { recursive: true, force: true }); // keep the log and the profile
  else rmSync(workDir, { recursive: true, force: true });
}

/**
 * `curl -s -o file` of `url` into the work dir (the disk the server's blobs are on), then the
 * same followed by fdatasync of the file: what a plain download and a durable one cost here.
 * Runs curl asynchronously: the image source serves from this process.
 */
async function curlSpeed(url: string, workDir: string, mib: number): Promise<{ curlMiBps: number; curlFdatasyncMiBps: number }> {
  const file = join(workDir, 'curl.out');
  const run = promisify(execFile);
  let t = performance.now();
  await run('curl', ['-s', '-f', '-o', file, url]);
  const curlS = (performance.now() - t) / 1000;
  rmSync(file);
  t = performance.now();
  await run('curl', ['-s', '-f', '-o', file, url]);
  await run('sync', ['-d', file]);
  const syncS = (performance.now() - t) / 1000;
  rmSync(file);
  return { curlMiBps: mib / curlS, curlFdatasyncMiBps: mib / syncS };
}

function report(record: BenchRecord): void {
  const rows = summarise(record.runs);
  log('');
  log(grpcTable(rows));
  log('');
  log(restTable(rows, record.rest));
  if (record.copies.length > 0) log(`\n${copyTable(record.copies)}`);
  if (record.blobStoreBytes) log(`\nblob store bytes before the timed Copies: ${record.blobStoreBytes.before}, after: ${record.blobStoreBytes.after}`);
  log(`\npeak RSS (KiB): ${JSON.stringify(record.peakRssKiB)}`);
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(record, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v), 2)}\n`);
  writeFileSync(join(resultsDir, 'latest.md'), `${renderMarkdown(record)}\n`);
  log(`recorded: ${join(resultsDir, 'latest.json')} and latest.md (${record.totalSeconds!.toFixed(0)} s in all)`);
}

/** One summary per load (its measured windows only), printed and written to profile-summary.txt. */
function summariseProfiles(profileDir: string, windows: Map<string, ProfileWindow[]>): void {
  const profiles = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
  if (profiles.length === 0) log(`no CPU profile was written in ${profileDir}`);
  // One profile per thread (the import worker writes its own); the main thread's sorts first.
  const parts = profiles.sort().map((p) => {
    const json = readFileSync(join(profileDir, p), 'utf8');
    const text = [...windows].map(([name, w]) => `## ${name} (measured windows only)\n\n${summariseProfile(json, 25, w)}`).join('\n\n');
    return `# CPU profile of clouddesk under load: ${join(profileDir, p)}\n\n${text}\n`;
  });
  writeFileSync(join(resultsDir, 'profile-summary.txt'), parts.join('\n'));
  log(`\n${parts.join('\n')}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
