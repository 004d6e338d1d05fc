/**
 * Copy end to end on the embedded store (issue 10: ≥ 1,000 operations/s): DesktopImageService.Copy
 * of a 1 MiB Compute image, each followed through OperationService.Get until done, `--parallel`
 * in flight spread over 8 folders, after `--prime` unrecorded ones. Each run starts a fresh
 * server and data dir. Reports per run: operations/s, the server's CPU time (user + system,
 * /proc) per Copy including its polls, Get polls per Copy, and the load average (the machine
 * is shared). With several `--builds` (project roots, e.g. an old commit built under /tmp) the
 * runs alternate between them, round after round, so drift in the machine's load hits both.
 *
 *   node dist/bench/copy-throughput.js                                # this build, 3 rounds
 *   node dist/bench/copy-throughput.js --builds /tmp/old,. --rounds 4 # alternated A/B
 *   node dist/bench/copy-throughput.js --rounds 1 --profile           # + where the server's time went
 *   node dist/bench/copy-throughput.js --poll backoff                 # poll as the SDK's waiter would
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BOOTSTRAP_TOKEN } from '../test/harness/server.js';
import { startImageSource } from '../test/harness/image-source.js';
import { WireConnection } from './grpc-wire.js';
import { copyDesktopImages, importComputeImage } from './fixtures.js';
import { num } from './options.js';
import { median } from './stats.js';
import { cpuTimeMs, ROOT, startClouddesk } from './processes.js';
import { summariseProfile, type ProfileWindow } from './profile-summary.js';

const FOLDERS = 8;
const headers = { authorization: `Bearer ${BOOTSTRAP_TOKEN}` };
const log = (line: string) => process.stdout.write(`${line}\n`);

/** How a client waits for an operation: every `fixed` ms, or backing off (1, 2, 4 … ms, at most 50). */
type Poll = { kind: 'fixed'; ms: number } | { kind: 'backoff' };

interface RunFigures {
  build: string;
  copies: number;
  seconds: number;
  opsPerSecond: number;
  serverCpuMsPerCopy: number;
  /** This process's CPU (the load generator's), same window: on 2 cores it competes with the server. */
  clientCpuMsPerCopy: number;
  pollsPerCopy: number;
  loadAverage: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      builds: { type: 'string', default: '.' },
      rounds: { type: 'string', default: '3' },
      copies: { type: 'string', default: '800' },
      prime: { type: 'string', default: '160' },
      parallel: { type: 'string', default: '64' },
      poll: { type: 'string', default: '10' },
      profile: { type: 'boolean', default: false },
    },
  });
  const builds = values.builds.split(',').map((b) => resolve(b === '.' ? ROOT : b));
  const rounds = num('rounds', values.rounds, 1);
  const copies = num('copies', values.copies, FOLDERS);
  const prime = num('prime', values.prime, 0);
  const parallel = num('parallel', values.parallel, FOLDERS);
  if (parallel % FOLDERS !== 0) throw new Error(`--parallel: a multiple of ${FOLDERS}`);
  if (copies % FOLDERS !== 0 || prime % FOLDERS !== 0) throw new Error(`--copies and --prime: multiples of ${FOLDERS}`);
  const poll: Poll = values.poll === 'backoff' ? { kind: 'backoff' } : { kind: 'fixed', ms: num('poll', values.poll, 0) };
  log(`copy throughput: ${copies} Copies (after ${prime} unrecorded), ${parallel} in flight over ${FOLDERS} folders, polling ${poll.kind === 'fixed' ? `every ${poll.ms} ms` : 'with back-off'}; ${os.availableParallelism()} CPUs`);

  const src = await startImageSource();
  const all: RunFigures[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      // Alternate which build goes first, so neither always follows the other.
      const order = r % 2 === 0 ? builds : [...builds].reverse();
      for (const build of order) {
        const f = await measure(build, src.url('/raw?size=1048576&seed=7'), { copies, prime, parallel, poll, profile: values.profile });
        all.push(f);
        log(`round ${r + 1} ${label(build)}: ${f.opsPerSecond} operations/s, server CPU ${f.serverCpuMsPerCopy.toFixed(2)} ms per Copy, client CPU ${f.clientCpuMsPerCopy.toFixed(2)} ms, ${f.pollsPerCopy.toFixed(2)} polls per Copy (load average ${f.loadAverage.toFixed(2)})`);
      }
    }
  } finally {
    await src.close();
  }
  for (const build of builds) {
    const fs = all.filter((f) => f.build === build);
    log(`${label(build)}: operations/s ${fs.map((f) => f.opsPerSecond).join(', ')} (median ${Math.round(median(fs.map((f) => f.opsPerSecond)))}); server CPU ms per Copy ${fs.map((f) => f.serverCpuMsPerCopy.toFixed(2)).join(', ')}; client CPU ms per Copy ${fs.map((f) => f.clientCpuMsPerCopy.toFixed(2)).join(', ')}; polls per Copy ${fs.map((f) => f.pollsPerCopy.toFixed(2)).join(', ')}`);
  }
}

function label(build: string): string {
  return build === ROOT ? 'this build' : build;
}

async function measure(
  build: string,
  sourceUrl: string,
  o: { copies: number; prime: number; parallel: number; poll: Poll; profile: boolean },
): Promise<RunFigures> {
  const workDir = mkdtempSync(join(os.tmpdir(), 'clouddesk-bench-copy-'));
  const profileDir = join(workDir, 'profile');
  const server = await startClouddesk({
    dataDir: join(workDir, 'data'),
    logFile: join(workDir, 'clouddesk.log'),
    token: BOOTSTRAP_TOKEN,
    root: build,
    nodeFlags: o.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  });
  const conn = new WireConnection(`http://127.0.0.1:${server.port}`, headers);
  let window: ProfileWindow | undefined;
  try {
    const source = await importComputeImage(conn, { folderId: 'bench-src', name: 'src', uri: sourceUrl }, 60_000);
    await copyAll(conn, source.id, 'prime', o.prime, o.parallel, o.poll);
    const cpu0 = cpuTimeMs(server.pid);
    const client0 = process.cpuUsage();
    const from = Number(process.hrtime.bigint() / 1000n);
    const t0 = performance.now();
    const polls = await copyAll(conn, source.id, 'bench', o.copies, o.parallel, o.poll);
    const seconds = (performance.now() - t0) / 1000;
    window = [from, Number(process.hrtime.bigint() / 1000n)];
    const cpu = cpuTimeMs(server.pid) - cpu0;
    const client = process.cpuUsage(client0);
    return {
      build,
      copies: o.copies,
      seconds: Number(seconds.toFixed(3)),
      opsPerSecond: Math.round(o.copies / seconds),
      serverCpuMsPerCopy: cpu / o.copies,
      clientCpuMsPerCopy: (client.user + client.system) / 1000 / o.copies,
      pollsPerCopy: polls / o.copies,
      loadAverage: os.loadavg()[0]!,
    };
  } finally {
    conn.close();
    await server.stop(); // a clean exit is when --cpu-prof writes its profile
    if (o.profile && window) {
      for (const p of readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'))) {
        log(`\nCPU profile of the measured Copies (${label(build)}): ${join(profileDir, p)}\n${summariseProfile(readFileSync(join(profileDir, p), 'utf8'), 60, [window])}`);
      }
    }
    if (!o.profile) rmSync(workDir, { recursive: true, force: true });
  }
}

/** Runs `count` Copies, `parallel` at a time spread over the folders, each awaited through its operation; returns the Get polls made. */
async function copyAll(conn: WireConnection, computeImageId: string, prefix: string, count: number, parallel: number, poll: Poll): Promise<number> {
  let polls = 0;
  const wait = { pollMs: poll.kind === 'fixed' ? poll.ms : 50, backoff: poll.kind === 'backoff', onPoll: () => void (polls += 1) };
  await Promise.all(Array.from({ length: FOLDERS }, (_, f) => copyDesktopImages(conn, computeImageId, `${prefix}-${f}`, count / FOLDERS, parallel / FOLDERS, wait)));
  return polls;
}

main().catch((err: unknown) => {
  process.stderr.write(`copy throughput bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
