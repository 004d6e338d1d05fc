/**
 * The mixed soak (`node dist/bench/soak.js`, 10 minutes by default): 16 clients run at once
 * against one embedded server for the whole time, each picking its next call at random — 70 %
 * reads (Get and List of 200 shared images), 20 % changes (Copy, Update, Delete of images the
 * client made in a folder of its own, each awaited through its operation) and 10 % operation
 * polls (OperationService.Get of a recent operation) — over gRPC and REST alike. Every answer is
 * checked (status, and the id or page it must carry); any other answer is an error. Every 10 s the
 * server's RSS and V8 heap are sampled. Memory is flat when the last minute's median RSS is
 * within 10 % of the second minute's (the first is warm-up). It also reports the server's CPU time
 * (user + system, /proc) per call over the whole load. Results go to bench/results/soak.json.
 *
 *   node dist/bench/soak.js                       # 10 minutes
 *   node dist/bench/soak.js --minutes 2
 *   node dist/bench/soak.js --build /tmp/old      # another build's project root (A/B)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fromBinary } from '@bufbuild/protobuf';
import { DesktopImageService } from '../src/gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { DesktopImageSchema } from '../src/gen/yandex/cloud/clouddesktop/v1/desktop_image_pb.js';
import { OperationService } from '../src/gen/yandex/cloud/operation/operation_service_pb.js';
import type { Operation } from '../src/gen/yandex/cloud/operation/operation_pb.js';
import { BOOTSTRAP_TOKEN } from '../test/harness/server.js';
import { startImageSource } from '../test/harness/image-source.js';
import { WireConnection } from './grpc-wire.js';
import { copyDesktopImages, importComputeImage, waitOperation } from './fixtures.js';
import { cpuTimeMs, metricGauges, ROOT, rssKiB, startClouddesk } from './processes.js';
import { median } from './stats.js';

const CLIENTS = 16;
const SHARED = 200;
/** Images a client keeps in its own folder at most; a Copy beyond it becomes a Delete. */
const OWN_MAX = 20;
const headers = { authorization: `Bearer ${BOOTSTRAP_TOKEN}` };
const log = (line: string) => process.stdout.write(`${line}\n`);

interface Sample {
  atS: number;
  rssMiB: number;
  heapUsedMiB: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, build: { type: 'string' } } });
  const minutes = Number(values.minutes);
  if (!(minutes >= 2)) throw new Error('--minutes: at least 2 (the first minute is warm-up)');
  const workDir = mkdtempSync(join(os.tmpdir(), 'clouddesk-bench-soak-'));
  const src = await startImageSource();
  const root = values.build === undefined ? undefined : resolve(values.build);
  const server = await startClouddesk({ dataDir: join(workDir, 'data'), logFile: join(workDir, 'clouddesk.log'), token: BOOTSTRAP_TOKEN, root });
  const origin = `http://127.0.0.1:${server.port}`;
  const conn = new WireConnection(origin, headers);
  const counts: Record<string, number> = {};
  const errors: string[] = [];
  const samples: Sample[] = [];
  try {
    const computeId = (await importComputeImage(conn, { folderId: 'soak-src', name: 'src', uri: src.url('/raw?size=1048576&seed=5') }, 60_000)).id;
    const shared = (await copyDesktopImages(conn, computeId, 'soak', SHARED, 16)).map((i) => i.id);
    log(`soak: ${CLIENTS} clients for ${minutes} min against ${origin}; ${SHARED} shared images`);

    const cpu0 = cpuTimeMs(server.pid);
    const started = performance.now();
    const end = started + minutes * 60_000;
    const sampler = setInterval(() => {
      void metricGauges(origin, headers).then((gauges) => {
        const rss = rssKiB(server.pid);
        const heap = gauges.get('nodejs_heap_size_used_bytes') ?? NaN;
        if (rss !== undefined) samples.push({ atS: Math.round((performance.now() - started) / 1000), rssMiB: Math.round(rss / 1024), heapUsedMiB: Math.round(heap / 1024 ** 2) });
      }, (err: unknown) => log(`soak: a /metrics scrape failed (${String(err)}); this sample is skipped`));
    }, 10_000);
    const recentOps: string[] = [];
    const client = async (c: number) => {
      const own: string[] = [];
      let n = 0;
      while (performance.now() < end) {
        const rest = n++ % 2 === 1; // alternate transports
        const r = Math.random();
        // A poll needs an operation to ask about: until one exists, it is a Get.
        const kind = r < 0.35 ? 'get' : r < 0.7 ? 'list' : r < 0.9 ? 'change' : recentOps.length > 0 ? 'poll' : 'get';
        const name = `${kind} ${rest ? 'REST' : 'gRPC'}`;
        try {
          if (kind === 'get') await get(conn, origin, rest, shared[Math.floor(Math.random() * shared.length)]!);
          else if (kind === 'list') await list(conn, origin, rest);
          else if (kind === 'poll') await poll(conn, origin, rest, recentOps[Math.floor(Math.random() * recentOps.length)]!);
          else {
            const op = await change(conn, origin, rest, c, own, computeId, n);
            recentOps.push(op);
            if (recentOps.length > 100) recentOps.shift();
          }
          counts[name] = (counts[name] ?? 0) + 1;
        } catch (err) {
          errors.push(`${name}: ${(err as Error).message}`);
          if (errors.length > 50) throw new Error(`more than 50 errors; first: ${errors[0]}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
    const serverCpuMs = cpuTimeMs(server.pid) - cpu0;
    clearInterval(sampler);

    const at = (fromS: number, toS: number) => median(samples.filter((s) => s.atS > fromS && s.atS <= toS).map((s) => s.rssMiB));
    const second = at(60, 120);
    const last = at((minutes - 1) * 60, minutes * 60);
    const calls = Object.values(counts).reduce((a, b) => a + b, 0);
    const record = {
      startedAt: new Date(Date.now() - minutes * 60_000).toISOString(),
      command: `node dist/bench/soak.js ${process.argv.slice(2).join(' ')}`.trim(),
      build: root ?? 'this build',
      minutes, clients: CLIENTS, calls, callsPerSecond: Math.round(calls / (minutes * 60)), counts,
      serverCpuUsPerCall: Math.round((serverCpuMs * 1000) / calls),
      errors: errors.length, firstErrors: errors.slice(0, 10),
      rssMiB: { secondMinuteMedian: second, lastMinuteMedian: last, max: Math.max(...samples.map((s) => s.rssMiB)) },
      flat: Math.abs(last - second) <= 0.1 * second,
      samples,
    };
    log(`calls: ${calls} (${record.callsPerSecond}/s) ${JSON.stringify(counts)}`);
    log(`server CPU: ${record.serverCpuUsPerCall} µs per call (${record.build})`);
    log(`errors: ${errors.length}${errors.length ? ` — ${errors.slice(0, 5).join(' | ')}` : ''}`);
    log(`RSS median: minute 2 ${second} MiB, last minute ${last} MiB, max ${record.rssMiB.max} MiB → ${record.flat ? 'flat' : 'NOT flat'}`);
    log(`samples (s: RSS MiB / heap used MiB): ${samples.map((s) => `${s.atS}: ${s.rssMiB}/${s.heapUsedMiB}`).join(', ')}`);
    mkdirSync(resolve(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(resolve(ROOT, 'bench/results/soak.json'), `${JSON.stringify(record, null, 2)}\n`);
    if (errors.length > 0 || !record.flat) process.exitCode = 1;
  } finally {
    conn.close();
    await server.stop();
    await src.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

async function rest(origin: string, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${origin}${path}`, { method, headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 200)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

async function get(conn: WireConnection, origin: string, overRest: boolean, id: string): Promise<void> {
  const got = overRest ? (await rest(origin, 'GET', `/cloud-desktop/v1/images/${id}`))['id'] : (await conn.call(DesktopImageService.method.get, { imageId: id })).id;
  if (got !== id) throw new Error(`Get ${id} answered ${String(got)}`);
}

async function list(conn: WireConnection, origin: string, overRest: boolean): Promise<void> {
  const n = overRest
    ? ((await rest(origin, 'GET', '/cloud-desktop/v1/images?folderId=soak&pageSize=100'))['desktopImages'] as unknown[]).length
    : (await conn.call(DesktopImageService.method.list, { folderId: 'soak', pageSize: 100n })).desktopImages.length;
  if (n !== 100) throw new Error(`List answered ${n} images, not 100`);
}

async function poll(conn: WireConnection, origin: string, overRest: boolean, opId: string): Promise<void> {
  const got = overRest ? (await rest(origin, 'GET', `/operations/${opId}`))['id'] : (await conn.call(OperationService.method.get, { operationId: opId })).id;
  if (got !== opId) throw new Error(`OperationService.Get ${opId} answered ${String(got)}`);
}

/** Copy (or Delete when the client's folder is full), or Update one of its images; returns the operation id. */
async function change(conn: WireConnection, origin: string, overRest: boolean, c: number, own: string[], computeId: string, n: number): Promise<string> {
  const folderId = `soak-own-${c}`;
  const r = Math.random();
  let op: Operation;
  let copying = false;
  if (own.length > 0 && (own.length >= OWN_MAX || r < 0.3)) {
    const id = own.splice(Math.floor(Math.random() * own.length), 1)[0]!;
    op = overRest ? await restOp(conn, origin, 'DELETE', `/cloud-desktop/v1/images/${id}`) : await conn.call(DesktopImageService.method.delete, { imageId: id });
  } else if (own.length > 0 && r < 0.6) {
    const id = own[Math.floor(Math.random() * own.length)]!;
    const labels = { round: String(n) };
    op = overRest
      ? await restOp(conn, origin, 'PATCH', `/cloud-desktop/v1/images/${id}`, { updateMask: 'labels', labels })
      : await conn.call(DesktopImageService.method.update, { imageId: id, updateMask: { paths: ['labels'] }, labels });
  } else {
    copying = true;
    const req = { folderId, name: `c${c}-${n}`, imageId: computeId };
    op = overRest ? await restOp(conn, origin, 'POST', '/cloud-desktop/v1/images:copy', req) : await conn.call(DesktopImageService.method.copy, req);
  }
  const done = await waitOperation(conn, op, { pollMs: 20, timeoutMs: 30_000 });
  if (copying) {
    if (done.result.case !== 'response') throw new Error(`Copy ${op.id} has no response`);
    own.push(fromBinary(DesktopImageSchema, done.result.value.value).id);
  }
  return op.id;
}

/** A REST call that answers an Operation, read back over gRPC so waitOperation can follow it. */
async function restOp(conn: WireConnection, origin: string, method: string, path: string, body?: unknown): Promise<Operation> {
  const id = (await rest(origin, method, path, body))['id'];
  if (typeof id !== 'string') throw new Error(`${method} ${path} answered no operation id`);
  return conn.call(OperationService.method.get, { operationId: id });
}

main().catch((err: unknown) => {
  process.stderr.write(`soak failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
