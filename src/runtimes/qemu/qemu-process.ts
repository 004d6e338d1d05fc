/**
 * One running QEMU, tied to this server's life: QEMU runs under a small shell watchdog that
 * holds the read end of a pipe from this process and kills QEMU (SIGKILL) when the pipe closes —
 * on a clean exit and on kill -9 alike, since the kernel closes the pipe either way (Node cannot
 * set PR_SET_PDEATHSIG). QEMU writes its pid into the desktop's directory, so a start-up after a
 * crash that the watchdog did not survive still finds and ends a stale machine (`killStale`).
 *
 *   const proc = launchQemu(tools.system, args, dir);
 *   proc.exited.then((code) => ...);   // the machine is gone
 *   proc.kill();                        // hard power-off
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InternalError } from '../../domain/errors.js';
import { loggers } from '../../logger.js';
import { qmp } from './qmp.js';

// $0 is QEMU; fd 3 keeps our pipe for the watchdog only (QEMU and wait do not hold it).
const WATCHDOG = [
  'exec 3<&0',
  '"$0" "$@" </dev/null 3<&- & q=$!',
  '(cat <&3 >/dev/null; kill -9 $q 2>/dev/null) & w=$!',
  'exec 3<&-',
  'wait $q; s=$?',
  'kill $w 2>/dev/null',
  'exit $s',
].join('\n');

export interface QemuProcess {
  /** Resolves with the exit code (null: killed by a signal) when QEMU is gone. */
  readonly exited: Promise<number | null>;
  /** Hard power-off: the watchdog kills QEMU. */
  kill(): void;
}

export function launchQemu(system: string, args: readonly string[], dir: string): QemuProcess {
  const log = openSync(join(dir, 'qemu.log'), 'a', 0o600);
  const child = spawn('/bin/sh', ['-c', WATCHDOG, system, ...args], { stdio: ['pipe', 'ignore', log], cwd: dir });
  closeSync(log);
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(null));
    child.on('exit', (code) => {
      child.stdin?.destroy(); // the watchdog's cat ends too
      resolve(code);
    });
  });
  child.stdin?.on('error', () => undefined); // EPIPE after the machine is gone
  return { exited, kill: () => child.stdin?.destroy() };
}

/** Ends a QEMU an earlier server process left running for `dir` (it named dir in its arguments). */
export async function killStale(dir: string): Promise<boolean> {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dir, 'qemu.pid'), 'utf8').trim());
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 1 || !ownedBy(pid, dir)) return false;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return false;
  }
  for (let i = 0; i < 100 && ownedBy(pid, dir); i++) await new Promise((r) => setTimeout(r, 50));
  return true;
}

/** The pid is a QEMU of this directory (not a recycled pid of something else). */
function ownedBy(pid: number, dir: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const state = /^\d+ \(.*\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];
    return state !== 'Z' && cmdline.some((a) => a.includes(join(dir, 'qmp.sock')));
  } catch {
    return false;
  }
}

const BOOT_WAIT_MS = 30_000;

/** Running once QMP answers `running`; an early exit or a boot wait running out throws. */
export async function untilRunning(qmpSocket: string, proc: QemuProcess, signal: AbortSignal): Promise<void> {
  let gone = false;
  void proc.exited.then(() => (gone = true));
  const deadline = Date.now() + BOOT_WAIT_MS;
  while (Date.now() < deadline && !signal.aborted && !gone) {
    const status = await qmp(qmpSocket, 'query-status', 2_000).catch(() => undefined);
    if (status?.['status'] === 'running') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  // The client sees why, not where: the QEMU log's path goes to the server log only.
  const message = gone ? 'QEMU exited at start' : `QEMU did not start within ${BOOT_WAIT_MS} ms`;
  loggers.desktops.error({ qemuLog: join(qmpSocket, '..', 'qemu.log') }, message);
  throw new InternalError(message);
}

export function exitsWithin(proc: QemuProcess, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
  return Promise.race([proc.exited.then(() => true), timeout]).finally(() => clearTimeout(timer));
}
