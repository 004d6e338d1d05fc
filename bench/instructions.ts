/**
 * What one read costs the server in instructions, counted by valgrind's callgrind: a number that
 * does not move with a noisy machine, where CPU time per call moves by ±30 % between runs on a
 * shared VM (bench/RESULTS.md, ninth session). Each build's server runs under callgrind twice,
 * once answering `--warm` requests and once `--warm` + `--requests`; the difference in the
 * process's instructions (every thread: V8's GC helpers and libuv's pool too), divided by
 * `--requests`, is the cost of one request, without start-up. Instructions are not time (a cache
 * miss costs more than an add), so this guides A/B work between builds; the targets stay the
 * ratios of run.js.
 *
 * Needs valgrind and h2load (Debian: valgrind, nghttp2-client). Each server run takes a minute
 * or two (JIT code runs under valgrind's translation); two run at once.
 *
 *   node dist/bench/instructions.js                                  # this build: REST and gRPC Get and List
 *   node dist/bench/instructions.js --builds /tmp/base,. --rpcs rest-list,grpc-list
 *
 * The load is fixed, so the event-loop turns repeat: REST with 8 keep-alive connections
 * (h2load --h1), gRPC with 8 streams on one connection. Every answer is checked: h2load's HTTP
 * statuses, and the server's own rpc lines, which must count every request with code OK.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { BOOTSTRAP_TOKEN, LOCAL_SOURCES_ENV } from '../test/harness/server.js';
import { startImageSource } from '../test/harness/image-source.js';
import { copyDesktopImages, importComputeImage } from './fixtures.js';
import { WireConnection } from './grpc-wire.js';
import { num } from './options.js';
import { imageGrpcTargets } from './preflight.js';
import { ROOT, startClouddesk } from './processes.js';

const run = promisify(execFile);
const RPCS = ['rest-get', 'rest-list', 'grpc-get', 'grpc-list'] as const;
type Rpc = (typeof RPCS)[number];
const FOLDER = 'bench';
const AUTH = `authorization: Bearer ${BOOTSTRAP_TOKEN}`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      builds: { type: 'string', default: '.' },
      rpcs: { type: 'string', default: RPCS.join(',') },
      requests: { type: 'string', default: '10000' },
      warm: { type: 'string', default: '2000' },
      images: { type: 'string', default: '1000' },
    },
  });
  const rpcs = values.rpcs.split(',').map((r) => {
    if (!(RPCS as readonly string[]).includes(r)) throw new Error(`--rpcs: ${r} is not one of ${RPCS.join(', ')}`);
    return r as Rpc;
  });
  const builds = values.builds.split(',').map((b) => resolve(b));
  const requests = num('requests', values.requests, 100);
  const warm = num('warm', values.warm, 100);
  const images = num('images', values.images, 100);
  for (const tool of ['valgrind', 'h2load']) {
    try {
      execFileSync(tool, ['--version'], { stdio: 'ignore' });
    } catch {
      throw new Error(`instructions.js needs ${tool} (Debian: ${tool === 'h2load' ? 'nghttp2-client' : 'valgrind'})`);
    }
  }

  const workDir = mkdtempSync(join(os.tmpdir(), 'clouddesk-instructions-'));
  try {
    const { dataDir, getId } = await fill(workDir, images);
    const targets = imageGrpcTargets(getId, FOLDER);
    writeFileSync(join(workDir, 'get.bin'), targets.bodies.get);
    writeFileSync(join(workDir, 'list.bin'), targets.bodies.list);
    const lines = [`Server instructions per request under callgrind (${warm} + ${requests} requests against ${warm}; ${images} images)`, ''];
    lines.push(`| build | ${rpcs.join(' | ')} |`, `|---|${rpcs.map(() => '---:').join('|')}|`);
    for (const build of builds) {
      const cells: string[] = [];
      for (const rpc of rpcs) {
        const load = { rpc, getId, workDir, paths: targets.paths };
        const [short, long] = await Promise.all([
          counted(build, dataDir, workDir, { ...load, requests: warm }),
          counted(build, dataDir, workDir, { ...load, requests: warm + requests }),
        ]);
        const perRequest = (long - short) / requests;
        cells.push(`${Math.round(perRequest).toLocaleString('en-US')}`);
        process.stdout.write(`${build} ${rpc}: ${Math.round(perRequest).toLocaleString('en-US')} instructions per request\n`);
      }
      lines.push(`| ${build === ROOT ? '.' : build} | ${cells.join(' | ')} |`);
    }
    const report = `${lines.join('\n')}\n`;
    process.stdout.write(`\n${report}`);
    mkdirSync(resolve(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(resolve(ROOT, 'bench/results/instructions.md'), report);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** A data dir with `images` desktop images in folder "bench", made through the API of this build. */
async function fill(workDir: string, images: number): Promise<{ dataDir: string; getId: string }> {
  const dataDir = join(workDir, 'data');
  const src = await startImageSource();
  try {
    const server = await startClouddesk({ dataDir, logFile: join(workDir, 'fill.log'), token: BOOTSTRAP_TOKEN });
    const conn = new WireConnection(`http://127.0.0.1:${server.port}`, { authorization: `Bearer ${BOOTSTRAP_TOKEN}` });
    try {
      const source = await importComputeImage(conn, { folderId: 'bench-src', name: 'src', uri: src.url(`/raw?size=${1024 * 1024}&seed=1`) }, 60_000);
      const getId = (await copyDesktopImages(conn, source.id, FOLDER, images, 16))[0]!.id;
      return { dataDir, getId };
    } finally {
      conn.close();
      await server.stop();
    }
  } finally {
    await src.close();
  }
}

interface Load {
  rpc: Rpc;
  requests: number;
  getId: string;
  workDir: string;
  paths: { get: string; list: string };
}

let runs = 0;

/** One server under callgrind on its own copy of the data, `load.requests` answered: its instruction count. */
async function counted(build: string, dataDir: string, workDir: string, load: Load): Promise<number> {
  const dir = join(workDir, `run-${++runs}`);
  cpSync(dataDir, join(dir, 'data'), { recursive: true });
  const logFile = join(dir, 'server.log');
  const child = spawn(
    'valgrind',
    ['--tool=callgrind', '--smc-check=all-non-file', '--callgrind-out-file=/dev/null', process.execPath,
      join(build, 'bin/clouddesk.js'), 'serve', '--listen', '127.0.0.1:0', '--data-dir', join(dir, 'data')],
    { env: { ...process.env, CLOUDDESK_BOOTSTRAP_TOKEN: BOOTSTRAP_TOKEN, ...LOCAL_SOURCES_ENV }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // The server's log on stdout, callgrind's report on stderr: apart, so no line is cut by the other.
  let out = '';
  let report = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (report += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('close', r));
  try {
    const port = await listening(() => out, 240_000);
    const origin = `http://127.0.0.1:${port}`;
    const { stdout } = await run('h2load', h2loadArgs(origin, load), { maxBuffer: 16 * 1024 * 1024 });
    const done = /(\d+) succeeded, (\d+) failed, (\d+) errored/.exec(stdout);
    const ok2xx = /status codes: (\d+) 2xx/.exec(stdout);
    if (!done || Number(done[1]) !== load.requests || Number(ok2xx?.[1]) !== load.requests) {
      throw new Error(`${load.rpc} on ${build}: h2load did not get ${load.requests} answers with 2xx:\n${stdout}`);
    }
  } finally {
    child.kill('SIGTERM');
  }
  const code = await exited;
  writeFileSync(logFile, `${out}\n${report}`);
  if (code !== 0) throw new Error(`the server under callgrind exited with ${code}; see ${logFile}`);
  const rpcLines = out.split('\n').filter((l) => l.includes('"msg":"rpc"'));
  const okLines = rpcLines.filter((l) => l.includes('"code":"OK"')).length;
  if (rpcLines.length !== load.requests || okLines !== load.requests) {
    throw new Error(`${load.rpc} on ${build}: ${okLines} of ${rpcLines.length} rpc lines OK, ${load.requests} requests sent`);
  }
  const total = /Collected : (\d+)/.exec(report);
  if (!total) throw new Error(`no instruction count from callgrind; see ${logFile}`);
  rmSync(join(dir, 'data'), { recursive: true, force: true });
  return Number(total[1]);
}

function h2loadArgs(origin: string, load: Load): string[] {
  const n = ['-n', String(load.requests)];
  if (load.rpc.startsWith('rest')) {
    const url = load.rpc === 'rest-get' ? `${origin}/cloud-desktop/v1/images/${load.getId}` : `${origin}/cloud-desktop/v1/images?folderId=${FOLDER}&pageSize=100`;
    return ['--h1', ...n, '-c', '8', '-H', AUTH, url];
  }
  const get = load.rpc === 'grpc-get';
  return [...n, '-c', '1', '-m', '8', '-d', join(load.workDir, get ? 'get.bin' : 'list.bin'),
    '-H', AUTH, '-H', 'content-type: application/grpc', '-H', 'te: trailers', `${origin}${get ? load.paths.get : load.paths.list}`];
}

/** The port of the server's "clouddesk listening" line. */
async function listening(output: () => string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const m = /"port":(\d+)[^\n]*"msg":"clouddesk listening"/.exec(output());
    if (m) return Number(m[1]);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server under callgrind did not start within ${timeoutMs} ms`);
}

main().catch((err: unknown) => {
  process.stderr.write(`instructions bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
