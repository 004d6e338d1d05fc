/**
 * The QEMU runtime under TCG (`--desktop-accel tcg`): Start → ACTIVE and Stop → STOPPED of a
 * desktop booting the tests' idle boot sector (Stop with `--desktop-stop-timeout-ms 0`: that
 * guest ignores ACPI, so what is timed is QEMU's own power-off path), and CopyFromDesktop of a
 * 1 GiB boot disk whose overlay holds 1 GiB of written data, against `qemu-img convert` of the
 * same overlay alone. Prints one line per figure; results go to bench/results/qemu.json.
 *
 *   npm run build && node dist/bench/qemu.js [--rounds 5]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { overlayOf, startQemuServer } from '../test/qemu/qemu-fixture.js';
import { ROOT } from './processes.js';
import { percentile, sortNumbers } from './stats.js';

const GIB = 1024 ** 3;
const log = (line: string) => process.stdout.write(`${line}\n`);
const timed = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
  const rounds = Number(values.rounds);
  const q = await startQemuServer(['--desktop-stop-timeout-ms', '0']);
  const scratch = mkdtempSync(join(os.tmpdir(), 'clouddesk-bench-qemu-'));
  try {
    const idle = await q.systemImage('idle');
    const group = await q.group(idle, { bootDiskSpec: { type: 'HDD', size: String(GIB) } });
    const desktop = await q.desktop(group['id']);
    const path = (verb: string) => `/cloud-desktop/v1/desktops/${desktop['id']}:${verb}`;
    const starts: number[] = [];
    const stops: number[] = [];
    for (let i = 0; i < rounds; i++) {
      stops.push(await timed(() => q.operation(path('stop'), {})));
      starts.push(await timed(() => q.operation(path('start'), {})));
    }
    await q.operation(path('stop'), {});
    const p50 = (xs: number[]) => percentile(sortNumbers(xs), 50);
    log(`TCG start → ACTIVE: p50 ${p50(starts).toFixed(0)} ms over ${rounds} (RPC to operation done, polled every 100 ms)`);
    log(`TCG stop → STOPPED: p50 ${p50(stops).toFixed(0)} ms over ${rounds} (stop timeout 0: power-down, then quit)`);

    // 1 GiB written into the stopped desktop's overlay, as a guest would have.
    const overlay = overlayOf(q.server.dataDir, desktop['id']);
    execFileSync('qemu-io', ['-f', 'qcow2', '-c', `write -P 0x5a 0 ${GIB}`, overlay], { stdio: 'ignore' });
    const alone = await timed(async () => execFileSync('qemu-img', ['convert', '-f', 'qcow2', '-O', 'qcow2', overlay, join(scratch, 'flat.qcow2')]));
    rmSync(join(scratch, 'flat.qcow2'));
    // The server closed the idle keep-alive connection meanwhile: the first GET meets the closed
    // socket (fetch does not retry), the second opens a fresh connection for the timed POST.
    const probe = () => q.call('GET', `/cloud-desktop/v1/desktops/${desktop['id']}`);
    await probe().catch(probe);
    const capture = await timed(() => q.operation('/cloud-desktop/v1/images:copyFromDesktop', { desktopId: desktop['id'], folderId: 'bench', name: 'one-gib' }));
    log(`CopyFromDesktop of a 1 GiB disk: ${(capture / 1000).toFixed(1)} s; qemu-img convert alone: ${(alone / 1000).toFixed(1)} s`);
    const figures = {
      startedAt: new Date().toISOString(), accel: 'tcg', rounds, cpus: os.cpus().length,
      startToActiveP50Ms: Math.round(p50(starts)), stopToStoppedP50Ms: Math.round(p50(stops)),
      copyFromDesktop1GiBMs: Math.round(capture), qemuImgConvert1GiBMs: Math.round(alone),
    };
    mkdirSync(resolve(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(resolve(ROOT, 'bench/results/qemu.json'), `${JSON.stringify(figures, null, 2)}\n`);
  } catch (err) {
    log(JSON.stringify(q.server.logs.slice(-5))); // what the server said last
    throw err;
  } finally {
    await q.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)} ${String((err as Error).cause)}\n`);
  process.exit(1);
});
