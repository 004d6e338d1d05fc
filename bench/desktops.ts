/**
 * `npm run bench` (second part): desktops on the simulated runtime with
 * `--desktop-transition-ms 0`, so what is measured is the control plane itself — Create →
 * ACTIVE end to end (operations per second, with 16 Creates in flight), and List at 10,000
 * desktops in one folder (gRPC, page of 100, p50 of the first and the last page). Results go to
 * bench/results/desktops.json; the figures in bench/RESULTS.md come from it.
 *
 *   node dist/bench/desktops.js                   # 10,000 desktops, about a minute
 *   node dist/bench/desktops.js --desktops 2000
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fromBinary } from '@bufbuild/protobuf';
import { DesktopService } from '../src/gen/yandex/cloud/clouddesktop/v1/desktop_service_pb.js';
import { DesktopGroupService } from '../src/gen/yandex/cloud/clouddesktop/v1/desktop_group_service_pb.js';
import { DesktopGroupSchema } from '../src/gen/yandex/cloud/clouddesktop/v1/desktop_group_pb.js';
import { BOOTSTRAP_TOKEN } from '../test/harness/server.js';
import { startImageSource } from '../test/harness/image-source.js';
import { WireConnection } from './grpc-wire.js';
import { copyDesktopImages, importComputeImage, waitOperation } from './fixtures.js';
import { peakRssKiB, ROOT, startClouddesk } from './processes.js';
import { percentile, sortNumbers } from './stats.js';

const PER_GROUP = 500;
const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { desktops: { type: 'string', default: '10000' }, parallel: { type: 'string', default: '16' } } });
  const total = Number(values.desktops);
  const parallel = Number(values.parallel);
  const workDir = mkdtempSync(join(os.tmpdir(), 'clouddesk-bench-desktops-'));
  const src = await startImageSource();
  const server = await startClouddesk({
    dataDir: join(workDir, 'data'), logFile: join(workDir, 'clouddesk.log'), token: BOOTSTRAP_TOKEN,
    serveArgs: ['--desktop-transition-ms', '0'],
  });
  const conn = new WireConnection(`http://127.0.0.1:${server.port}`, { authorization: `Bearer ${BOOTSTRAP_TOKEN}` });
  try {
    const compute = await importComputeImage(conn, { folderId: 'bench-desktops', name: 'src', uri: src.url('/raw?size=1048576') }, 60_000);
    const [image] = await copyDesktopImages(conn, compute.id, 'bench-desktops', 1, 1);
    const groups: string[] = [];
    for (let g = 0; g * PER_GROUP < total; g++) {
      const op = await conn.call(DesktopGroupService.method.create, {
        folderId: 'bench-desktops', desktopImageId: image!.id, name: `group-${g}`, groupConfig: { maxDesktopsAmount: BigInt(PER_GROUP) },
      });
      const done = await waitOperation(conn, op, { pollMs: 5, timeoutMs: 30_000 });
      if (done.result.case !== 'response') throw new Error('group create has no response');
      groups.push(fromBinary(DesktopGroupSchema, done.result.value.value).id);
    }

    // Create → ACTIVE, `parallel` in flight, each awaited through OperationService.Get.
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < total) {
        const i = next++;
        const op = await conn.call(DesktopService.method.create, {
          desktopGroupId: groups[Math.floor(i / PER_GROUP)]!, users: [{ subjectId: `user-${i}`, subjectType: 'userAccount' }], name: `d-${i}`,
        });
        await waitOperation(conn, op, { pollMs: 2, timeoutMs: 60_000 });
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    const createS = (performance.now() - started) / 1000;
    log(`create → ACTIVE: ${total} desktops in ${createS.toFixed(1)} s = ${(total / createS).toFixed(0)} operations/s (${parallel} in flight)`);

    // List at `total` desktops: the first page, and the last page reached by tokens.
    const first: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      const page = await conn.call(DesktopService.method.list, { folderId: 'bench-desktops', pageSize: 100n });
      first.push(performance.now() - t);
      if (page.desktops.length !== 100) throw new Error(`List answered ${page.desktops.length} desktops`);
    }
    let token = '';
    let pages = 0;
    const walk: number[] = [];
    do {
      const t = performance.now();
      const page = await conn.call(DesktopService.method.list, { folderId: 'bench-desktops', pageSize: 100n, pageToken: token });
      walk.push(performance.now() - t);
      token = page.nextPageToken;
      pages++;
    } while (token);
    const p50 = (xs: number[]) => percentile(sortNumbers(xs), 50);
    log(`list at ${total} desktops (page 100): first page p50 ${p50(first).toFixed(2)} ms; all ${pages} pages p50 ${p50(walk).toFixed(2)} ms, last page ${walk[walk.length - 1]!.toFixed(2)} ms`);
    const figures = {
      startedAt: new Date().toISOString(),
      desktops: total,
      parallel,
      createToActivePerSecond: Math.round(total / createS),
      listFirstPageP50Ms: Number(p50(first).toFixed(2)),
      listAllPagesP50Ms: Number(p50(walk).toFixed(2)),
      listLastPageMs: Number(walk[walk.length - 1]!.toFixed(2)),
      pages,
      peakRssKiB: peakRssKiB(server.pid),
    };
    mkdirSync(resolve(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(resolve(ROOT, 'bench/results/desktops.json'), `${JSON.stringify(figures, null, 2)}\n`);
  } finally {
    conn.close();
    await server.stop();
    await src.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
