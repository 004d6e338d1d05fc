/**
 * Where a read's CPU goes: the RPC layer alone (authentication, authorization, interceptors,
 * the handler and its store read, the log line and metrics: `Router.dispatch`) beside the whole
 * call that run.ts measures over the wire. A real installation is made through the API (one
 * imported Compute image, `--images` desktop images copied from it), the server is stopped, and
 * a child process starts the same app on that data dir and calls `dispatch` for Get and List in
 * a loop, with no transport: no HTTP/2, no gRPC framing, no encoding of the answer. Its log
 * lines go to a file, as the server's do in run.ts.
 *
 *   node dist/bench/dispatch.js                 # 1,000 images, about 30 s
 *   node dist/bench/dispatch.js --images 150 --calls 20000
 *   node dist/bench/dispatch.js --profile /tmp/prof   # the measuring process under --cpu-prof
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { create } from '@bufbuild/protobuf';
import { DesktopImageService, GetDesktopImageRequestSchema, ListDesktopImagesRequestSchema } from '../src/gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { loadConfig } from '../src/config/config.js';
import { startApp } from '../src/app.js';
import { ContextValues } from '../src/transport/context-values.js';
import type { CallContext } from '../src/transport/rpc.js';
import { BOOTSTRAP_TOKEN, LOCAL_SOURCES_ENV } from '../test/harness/server.js';
import { startImageSource } from '../test/harness/image-source.js';
import { WireConnection } from './grpc-wire.js';
import { copyDesktopImages, importComputeImage } from './fixtures.js';
import { startClouddesk } from './processes.js';
import { num } from './options.js';

const FOLDER = 'bench';
const ROUNDS = 5;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { images: { type: 'string', default: '1000' }, calls: { type: 'string', default: '20000' }, child: { type: 'string' }, profile: { type: 'string' } } });
  const calls = num('calls', values.calls, 10);
  if (values.child) return measure(values.child, calls);
  const images = num('images', values.images, 100); // List must fill a page of 100
  const workDir = mkdtempSync(join(os.tmpdir(), 'clouddesk-dispatch-'));
  const dataDir = join(workDir, 'data');
  const src = await startImageSource();
  try {
    const server = await startClouddesk({ dataDir, logFile: join(workDir, 'setup.log'), token: BOOTSTRAP_TOKEN });
    const conn = new WireConnection(`http://127.0.0.1:${server.port}`, { authorization: `Bearer ${BOOTSTRAP_TOKEN}` });
    const source = await importComputeImage(conn, { folderId: 'bench-src', name: 'src', uri: src.url(`/raw?size=${1024 * 1024}&seed=1`) }, 60_000);
    await copyDesktopImages(conn, source.id, FOLDER, images, 16);
    conn.close();
    await server.stop();
    process.stdout.write(`${images} desktop images in folder "${FOLDER}"; dispatch in-process, ${values.calls} calls a round, ${ROUNDS} rounds (median)\n`);
    const log = openSync(join(workDir, 'dispatch.log'), 'w');
    // Sampled every 50 µs, not every 1 ms: a dispatch takes 5-15 µs, and a List round few ms.
    const flags = values.profile ? ['--cpu-prof', '--cpu-prof-interval=50', `--cpu-prof-dir=${values.profile}`] : [];
    const child = spawn(process.execPath, [...flags, import.meta.filename, '--child', dataDir, '--calls', values.calls], {
      env: { ...process.env, ...LOCAL_SOURCES_ENV },
      stdio: ['ignore', log, 'inherit'],
    });
    closeSync(log);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    if (code !== 0) throw new Error(`the measuring process exited with ${code}; see ${workDir}/dispatch.log`);
  } finally {
    await src.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** In the child: the app on the filled data dir, `dispatch` in a loop; results on stderr. */
async function measure(dataDir: string, calls: number): Promise<void> {
  const app = await startApp(loadConfig({ dataDir, listen: '127.0.0.1:0', bootstrapToken: BOOTSTRAP_TOKEN }));
  const headers: Record<string, string> = { authorization: `Bearer ${BOOTSTRAP_TOKEN}` };
  const context = (method: string): CallContext => new BenchContext(method, headers);
  const list = app.router.lookup(`/${DesktopImageService.typeName}/List`)!;
  const get = app.router.lookup(`/${DesktopImageService.typeName}/Get`)!;
  const listReq = create(ListDesktopImagesRequestSchema, { folderId: FOLDER, pageSize: 100n });
  const page = (await app.router.dispatch(list, listReq, context(list.path))) as unknown as { desktopImages: { id: string }[] };
  if (page.desktopImages.length !== 100) throw new Error(`List answered ${page.desktopImages.length} images, not 100`);
  const getReq = create(GetDesktopImageRequestSchema, { imageId: page.desktopImages[0]!.id });
  for (const [name, call, req, n] of [['Get', get, getReq, calls], ['List (page_size 100)', list, listReq, Math.ceil(calls / 10)]] as const) {
    const perCall: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const before = process.cpuUsage();
      for (let i = 0; i < n; i++) {
        await app.router.dispatch(call, req, context(call.path));
        // The rpc lines are written at the end of an event-loop turn (logger.ts, logRpc): let
        // one end now and then, as a server's do, so their cost is in the round.
        if (i % 32 === 31) await new Promise((resolve) => setImmediate(resolve));
      }
      const used = process.cpuUsage(before);
      perCall.push((used.user + used.system) / n);
    }
    perCall.sort((a, b) => a - b);
    process.stderr.write(`${name}: ${perCall[ROUNDS >> 1]!.toFixed(1)} µs CPU per dispatch (rounds: ${perCall.map((v) => v.toFixed(1)).join(', ')})\n`);
  }
  await app.stop();
}

/** A call's context as the transports make theirs: a class, its abort signal made on first use. */
class BenchContext implements CallContext {
  readonly protocol = 'grpc';
  readonly requestId = 'bench';
  readonly traceId = 'bench';
  readonly peer = 'ipv4:127.0.0.1:40000';
  readonly userAgent = 'bench';
  readonly values = new ContextValues();

  constructor(readonly method: string, private readonly headers: Record<string, string>) {}

  header(name: string): string | undefined {
    return this.headers[name];
  }

  get signal(): AbortSignal {
    return new AbortController().signal;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`dispatch bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
