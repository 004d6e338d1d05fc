/**
 * The processes a bench run measures: the real clouddesk server (started as the test harness
 * starts it, but with its per-RPC JSON log going to a file, not through a pipe to this process)
 * and the minimal grpc-js ceiling server. Both are plain child processes on 127.0.0.1:0.
 *
 *   const server = await startClouddesk({ dataDir, logFile });
 *   ... server.port, server.pid, peakRssKiB(server.pid) ...
 *   await server.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOCAL_SOURCES_ENV } from '../test/harness/server.js';

/** dist/bench/ → the project root. */
export const ROOT = resolve(import.meta.dirname, '../..');
const BIN = resolve(ROOT, 'bin/clouddesk.js');

export interface BenchProcess {
  readonly pid: number;
  readonly port: number;
  /** The ceiling's node:http port (clouddesk serves REST on `port`). */
  readonly restPort?: number;
  /** SIGTERM, then wait for a clean exit (which is when --cpu-prof writes its profile). */
  stop(): Promise<number | null>;
}

export interface ClouddeskOptions {
  dataDir: string;
  logFile: string;
  token: string;
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=...']. */
  nodeFlags?: string[];
  /** Extra `clouddesk serve` flags, e.g. ['--desktop-transition-ms', '0']. */
  serveArgs?: string[];
  /** Another build's project root to run (A/B benches); default this one. */
  root?: string;
}

export async function startClouddesk(opts: ClouddeskOptions): Promise<BenchProcess> {
  const log = openSync(opts.logFile, 'w'); // one fresh log per server start
  const child = spawn(
    process.execPath,
    [...(opts.nodeFlags ?? []), opts.root ? resolve(opts.root, 'bin/clouddesk.js') : BIN, 'serve', '--listen', '127.0.0.1:0', '--data-dir', opts.dataDir, '--shutdown-grace-ms', '3000', ...(opts.serveArgs ?? [])],
    // The image source is a loopback server, which the import policy refuses unless allowed.
    { env: { ...process.env, CLOUDDESK_BOOTSTRAP_TOKEN: opts.token, ...LOCAL_SOURCES_ENV }, stdio: ['ignore', log, log] },
  );
  closeSync(log);
  const port = await waitForLogLine(child, opts.logFile, 20_000);
  return wrap(child, port);
}

/** Polls the server's log file for the `clouddesk listening` line and returns its port. */
async function waitForLogLine(child: ChildProcess, logFile: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`clouddesk exited with ${child.exitCode}; see ${logFile}`);
    for (const line of readFileSync(logFile, 'utf8').split('\n')) {
      if (!line.includes('clouddesk listening')) continue;
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'clouddesk listening') return Number(entry.port);
      } catch {
        // a half-written line: read again
      }
    }
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`clouddesk did not start within ${timeoutMs} ms; see ${logFile}`);
}

/** Starts dist/bench/ceiling-server.js, which prints its port as the first stdout line. */
export async function startCeiling(nodeFlags: string[] = []): Promise<BenchProcess> {
  const child = spawn(process.execPath, [...nodeFlags, resolve(import.meta.dirname, 'ceiling-server.js')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ports = await new Promise<{ port: number; restPort: number }>((resolvePort, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (line) => {
      rl.close();
      child.stdout!.resume(); // nothing more is expected; never let the pipe fill
      const parsed = JSON.parse(line) as { port: number; restPort: number };
      resolvePort({ port: Number(parsed.port), restPort: Number(parsed.restPort) });
    });
    child.once('exit', (code) => reject(new Error(`ceiling server exited with ${code}`)));
  });
  return { ...wrap(child, ports.port), restPort: ports.restPort };
}

function wrap(child: ChildProcess, port: number): BenchProcess {
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    pid: child.pid!,
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Peak resident set size (VmHWM) of a live process, in KiB; undefined where /proc is absent. */
export function peakRssKiB(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Current resident set size (VmRSS), in KiB. */
export function rssKiB(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Clock ticks per second of /proc times; 100 on every mainstream Linux build. */
const CLK_TCK = 100;

/**
 * CPU time (user + system) a process has used so far, in ms; with `mainThread`, only its main
 * thread's (/proc/<pid>/task/<pid>: the JavaScript thread, not workers or the libuv pool).
 */
export function cpuTimeMs(pid: number, mainThread = false): number {
  try {
    const stat = readFileSync(mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return NaN;
  }
}

/** Busy and total jiffies of the whole machine, from /proc/stat. */
export function machineTicks(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const total = v.reduce((a, b) => a + b, 0);
    const idle = (v[3] ?? 0) + (v[4] ?? 0); // idle + iowait
    return { busy: total - idle, total };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

/** Gauges of a server's Prometheus text (`/metrics`), by name, read with one request. */
export async function metricGauges(origin: string, headers: Record<string, string>): Promise<Map<string, number>> {
  const text = await (await fetch(`${origin}/metrics`, { headers })).text();
  const gauges = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*) (\S+)$/.exec(line);
    if (m) gauges.set(m[1]!, Number(m[2]));
  }
  return gauges;
}
