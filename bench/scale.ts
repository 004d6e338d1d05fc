/**
 * `npm run bench` (fourth part): the embedded store at 1,000 and at 1,000,000 desktop images in
 * one folder. For each size: a real installation is made through the API (one imported Compute
 * image, one desktop image copied from it), the server is stopped, the folder is filled up to the
 * size with copies of that row (new ids and names, later creation times; one SQLite transaction
 * per 100,000 rows, straight into the file, which is what 999,999 Copy operations would leave),
 * and the server is started again. Measured, over gRPC with every answer checked:
 *
 * - cold start: from spawning the process to the first answered Get;
 * - List (page of 100): p50 of the first page, of a filtered page (`name IN (...)` naming five
 *   images spread over the folder), and of every page walked by token, with the last page's.
 *   The first and the filtered page are timed twice: repeated (the row cache then keeps the page's
 *   ids, so this times the cache) and as queries the server has not seen (page_size 100, 99, …,
 *   which times the index); the last page is also asked again as new queries;
 * - RSS after all that (VmRSS and VmHWM), and the server's V8 heap and external memory (/metrics);
 * - then Copy end to end: 800 Copies (8 folders × 100, 64 in flight, after 160 unrecorded ones),
 *   each followed through OperationService.Get until done, in operations per second.
 *
 * Results go to bench/results/scale.{json,md}; the figures in bench/RESULTS.md come from it.
 *
 *   node dist/bench/scale.js                      # 1,000 and 1,000,000 images, about 4 minutes
 *   node dist/bench/scale.js --sizes 1000,100000
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { DesktopImageService } from '../src/gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { DESKTOP_IMAGES } from '../src/resources/desktop-image/storage/table.js';
import type { DesktopImage } from '../src/resources/desktop-image/domain/desktop-image.js';
import { newId } from '../src/ids.js';
import { BOOTSTRAP_TOKEN } from '../test/harness/server.js';
import { startImageSource } from '../test/harness/image-source.js';
import { WireConnection } from './grpc-wire.js';
import { copyDesktopImages, importComputeImage } from './fixtures.js';
import { metricGauges, peakRssKiB, ROOT, rssKiB, startClouddesk, type BenchProcess } from './processes.js';
import { percentile, sortNumbers } from './stats.js';

const FOLDER = 'bench-scale';
const BATCH = 100_000;
const headers = { authorization: `Bearer ${BOOTSTRAP_TOKEN}` };
const log = (line: string) => process.stdout.write(`${line}\n`);
const p50 = (xs: number[]) => percentile(sortNumbers(xs), 50);
const nameOf = (i: number) => `img-${String(i).padStart(7, '0')}`;

interface SizeFigures {
  images: number;
  fillSeconds: number;
  coldStartMs: number;
  listFirstPageP50Ms: number;
  listFirstPageNewP50Ms: number;
  listFilteredP50Ms: number;
  listFilteredNewP50Ms: number;
  listAllPagesP50Ms: number;
  listLastPageMs: number;
  listLastPageNewP50Ms: number;
  pages: number;
  rssKiB: number | undefined;
  peakRssKiB: number | undefined;
  /** The server's own view after the walk (its /metrics): V8 heap used and total, external (native) memory. */
  /** RSS split (/proc/<pid>/smaps_rollup): anonymous memory, and file pages (mostly the node binary). */
  anonMiB: number | undefined;
  fileMiB: number | undefined;
  heapUsedMiB: number;
  heapTotalMiB: number;
  externalMiB: number;
  copiesPerSecond: number;
}

function rssSplit(pid: number): { anonMiB: number | undefined; fileMiB: number | undefined } {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1]);
    return { anonMiB: Math.round(kib('Anonymous') / 1024), fileMiB: Math.round((kib('Rss') - kib('Anonymous')) / 1024) };
  } catch {
    return { anonMiB: undefined, fileMiB: undefined };
  }
}

/** Gauges of the server's /metrics in MiB; a missing one fails the bench. */
async function gaugesMiB(origin: string, names: readonly string[]): Promise<number[]> {
  const gauges = await metricGauges(origin, headers);
  return names.map((name) => {
    const v = gauges.get(name);
    if (v === undefined) throw new Error(`/metrics has no ${name}`);
    return Number((v / 1024 ** 2).toFixed(1));
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,1000000' } } });
  const sizes = values.sizes.split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 200)) throw new Error('--sizes: integers >= 200');
  const src = await startImageSource();
  const results: SizeFigures[] = [];
  try {
    for (const size of sizes) results.push(await measureSize(size, src.url('/raw?size=1048576&seed=3')));
  } finally {
    await src.close();
  }
  const table = render(results);
  log(`\n${table}`);
  mkdirSync(resolve(ROOT, 'bench/results'), { recursive: true });
  const record = { startedAt: new Date().toISOString(), command: `node dist/bench/scale.js ${process.argv.slice(2).join(' ')}`.trim(), nproc: os.availableParallelism(), results };
  writeFileSync(resolve(ROOT, 'bench/results/scale.json'), `${JSON.stringify(record, null, 2)}\n`);
  writeFileSync(resolve(ROOT, 'bench/results/scale.md'), `${table}\n`);
}

async function measureSize(size: number, sourceUrl: string): Promise<SizeFigures> {
  const workDir = mkdtempSync(join(os.tmpdir(), 'clouddesk-bench-scale-'));
  const dataDir = join(workDir, 'data');
  const start = () => startClouddesk({ dataDir, logFile: join(workDir, 'clouddesk.log'), token: BOOTSTRAP_TOKEN });
  let server: BenchProcess | undefined;
  try {
    // A real installation with one real desktop image, made through the API.
    server = await start();
    const made = new WireConnection(`http://127.0.0.1:${server.port}`, headers);
    let computeId: string;
    try {
      computeId = (await importComputeImage(made, { folderId: 'bench-src', name: 'src', uri: sourceUrl }, 60_000)).id;
      await copyDesktopImages(made, computeId, FOLDER, 1, 1);
    } finally {
      made.close();
    }
    await server.stop();
    server = undefined;

    const t = performance.now();
    const firstId = fill(join(dataDir, 'clouddesk.db'), size);
    const fillSeconds = (performance.now() - t) / 1000;
    log(`${size.toLocaleString('en-US')} images: folder filled in ${fillSeconds.toFixed(1)} s`);

    // Cold start: spawn → the first Get answered.
    const spawned = performance.now();
    server = await start();
    const conn = new WireConnection(`http://127.0.0.1:${server.port}`, headers);
    try {
      const got = await conn.call(DesktopImageService.method.get, { imageId: firstId });
      const coldStartMs = performance.now() - spawned;
      if (got.id !== firstId) throw new Error(`Get answered ${got.id}, not ${firstId}`);

      // `repeated`: the same List n times, which the row cache answers from its page of ids after
      // the first. Otherwise each call is a query the server has not seen (page_size 100, 99, …),
      // so it measures the index, not the cache.
      const timed = async (n: number, req: { folderId: string; pageToken?: string; filter?: string }, expect: number, repeated: boolean) => {
        const ms: number[] = [];
        for (let i = 0; i < n; i++) {
          const pageSize = repeated ? 100 : 100 - i;
          const t0 = performance.now();
          const page = await conn.call(DesktopImageService.method.list, { ...req, pageSize: BigInt(pageSize) });
          ms.push(performance.now() - t0);
          const want = Math.min(expect, pageSize);
          if (page.desktopImages.length !== want) throw new Error(`List answered ${page.desktopImages.length} images, not ${want}`);
        }
        return ms;
      };
      const first = await timed(200, { folderId: FOLDER }, 100, true);
      const firstNew = await timed(50, { folderId: FOLDER }, 100, false);
      const picked = [0, Math.floor(size / 4), Math.floor(size / 2), Math.floor((3 * size) / 4), size - 1].map(nameOf);
      const byName = { folderId: FOLDER, filter: `name IN (${picked.map((n) => `"${n}"`).join(', ')})` };
      const filtered = await timed(200, byName, 5, true);
      const filteredNew = await timed(50, byName, 5, false);

      const walk: number[] = [];
      let token = '';
      let lastToken = '';
      let seen = 0;
      do {
        lastToken = token;
        const t0 = performance.now();
        const page = await conn.call(DesktopImageService.method.list, { folderId: FOLDER, pageSize: 100n, pageToken: token });
        walk.push(performance.now() - t0);
        seen += page.desktopImages.length;
        token = page.nextPageToken;
      } while (token);
      if (seen !== size) throw new Error(`the walk saw ${seen} images, not ${size}`);
      // The last page again, as new queries (page_size 99, 98, …: the walk's own page is cached).
      const lastPage = (await timed(12, { folderId: FOLDER, pageToken: lastToken }, 100, false)).slice(1);

      const [heapUsedMiB, heapTotalMiB, externalMiB] = await gaugesMiB(`http://127.0.0.1:${server.port}`, ['nodejs_heap_size_used_bytes', 'nodejs_heap_size_total_bytes', 'nodejs_external_memory_bytes']);
      const figures: SizeFigures = {
        images: size,
        fillSeconds: Number(fillSeconds.toFixed(1)),
        coldStartMs: Math.round(coldStartMs),
        listFirstPageP50Ms: Number(p50(first).toFixed(2)),
        listFirstPageNewP50Ms: Number(p50(firstNew).toFixed(2)),
        listFilteredP50Ms: Number(p50(filtered).toFixed(2)),
        listFilteredNewP50Ms: Number(p50(filteredNew).toFixed(2)),
        listAllPagesP50Ms: Number(p50(walk).toFixed(2)),
        listLastPageMs: Number(walk[walk.length - 1]!.toFixed(2)),
        listLastPageNewP50Ms: Number(p50(lastPage).toFixed(2)),
        pages: walk.length,
        rssKiB: rssKiB(server.pid),
        peakRssKiB: peakRssKiB(server.pid),
        ...rssSplit(server.pid),
        heapUsedMiB: heapUsedMiB!,
        heapTotalMiB: heapTotalMiB!,
        externalMiB: externalMiB!,
        copiesPerSecond: 0,
      };
      // One unrecorded round first, as the main bench primes each load.
      await Promise.all(Array.from({ length: 8 }, (_, f) => copyDesktopImages(conn, computeId, `bench-copy-prime-${f}`, 20, 8)));
      const t1 = performance.now();
      const copied = await Promise.all(Array.from({ length: 8 }, (_, f) => copyDesktopImages(conn, computeId, `bench-copy-${f}`, 100, 8)));
      figures.copiesPerSecond = Math.round(copied.flat().length / ((performance.now() - t1) / 1000));
      log(`${size.toLocaleString('en-US')} images: ${JSON.stringify(figures)}`);
      return figures;
    } finally {
      conn.close();
    }
  } finally {
    await server?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Fills the folder up to `size` images with copies of its one real row; returns that row's id.
 * The copies come later in creation order (1 ms apart), with names img-0000000 upward.
 */
function fill(file: string, size: number): string {
  const db = new Database(file);
  try {
    const row = db.prepare(`SELECT * FROM ${DESKTOP_IMAGES.name} WHERE folder_id = ?`).get(FOLDER) as Record<string, unknown>;
    const template = DESKTOP_IMAGES.fromRow(row);
    db.prepare(`UPDATE ${DESKTOP_IMAGES.name} SET name = ? WHERE id = ?`).run(nameOf(0), template.id);
    const insert = db.prepare(DESKTOP_IMAGES.insertSql);
    const batch = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const image: DesktopImage = { ...template, id: newId('e3v'), name: nameOf(i), createdAt: new Date(template.createdAt.getTime() + i) };
        insert.run(DESKTOP_IMAGES.insertValues(image));
      }
    });
    for (let from = 1; from < size; from += BATCH) batch(from, Math.min(size, from + BATCH));
    db.pragma('wal_checkpoint(TRUNCATE)');
    return template.id;
  } finally {
    db.close();
  }
}

function render(rs: SizeFigures[]): string {
  const head = `| figure | ${rs.map((r) => `${r.images.toLocaleString('en-US')} images`).join(' | ')} |`;
  const rule = `|---|${rs.map(() => '---:').join('|')}|`;
  const row = (label: string, f: (r: SizeFigures) => string) => `| ${label} | ${rs.map(f).join(' | ')} |`;
  const mib = (kib: number | undefined) => (kib === undefined ? '—' : `${(kib / 1024).toFixed(0)} MiB`);
  return [
    head,
    rule,
    row('cold start → first Get answered', (r) => `${r.coldStartMs} ms`),
    row('List page 100, first page p50: repeated (page cache) / each a new query', (r) => `${r.listFirstPageP50Ms.toFixed(2)} / ${r.listFirstPageNewP50Ms.toFixed(2)} ms`),
    row('List `name IN (5 names)` p50: repeated / each a new query', (r) => `${r.listFilteredP50Ms.toFixed(2)} / ${r.listFilteredNewP50Ms.toFixed(2)} ms`),
    row('List, all pages p50', (r) => `${r.listAllPagesP50Ms.toFixed(2)} ms (${r.pages.toLocaleString('en-US')} pages)`),
    row('List, last page: in the walk / p50 of 11 new queries', (r) => `${r.listLastPageMs.toFixed(2)} / ${r.listLastPageNewP50Ms.toFixed(2)} ms`),
    row('RSS after the walk / peak', (r) => `${mib(r.rssKiB)} / ${mib(r.peakRssKiB)}`),
    row('RSS: anonymous / file pages', (r) => `${r.anonMiB ?? '—'} / ${r.fileMiB ?? '—'} MiB`),
    row('V8 heap used / total, external', (r) => `${r.heapUsedMiB} / ${r.heapTotalMiB} MiB, ${r.externalMiB} MiB`),
    row('Copy end to end, 64 in flight', (r) => `${r.copiesPerSecond} operations/s`),
  ].join('\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`scale bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
