/**
 * Starts the real clouddesk server as a child process on a free port, the way a user runs it.
 *
 *   const server = await startServer();           // fresh data dir
 *   ... server.address ...
 *   await server.restart();                         // same data dir
 *   await server.stop();
 *
 * With CLOUDDESK_TEST_DATABASE=postgres the server keeps its data in a fresh PostgreSQL database
 * instead (one per data dir, so a restart finds its data; dropped at cleanup): see
 * test/harness/database.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { databaseArgs, dropDatabaseOf } from './database.js';

const BIN = resolve(import.meta.dirname, '../../../bin/clouddesk.js');

export interface ServerOptions {
  dataDir?: string;
  args?: string[];
  env?: Record<string, string>;
}

/**
 * Test image sources are loopback file servers on free ports, which the import policy refuses by
 * default; every test server allows them unless a test passes `CLOUDDESK_IMPORT_ALLOW_PRIVATE: ''`
 * (or '0') to see the refusals (docs/security.md).
 */
export const LOCAL_SOURCES_ENV = { CLOUDDESK_IMPORT_ALLOW_PRIVATE: '1' };

/** The admin credential every test server starts with (docs/decisions.md point 6). */
export const BOOTSTRAP_TOKEN = 'cdt1.test-bootstrap-credential-0123456789abcdef';

export interface RunningServer {
  readonly port: number;
  /** Bearer token of the bootstrap admin. */
  readonly token: string;
  readonly address: string;
  readonly dataDir: string;
  readonly logs: Record<string, unknown>[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  kill(): Promise<void>;
  restart(extra?: ServerOptions): Promise<RunningServer>;
  cleanup(): Promise<void>;
}

export async function startServer(opts: ServerOptions = {}): Promise<RunningServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'clouddesk-test-'));
  const database = await databaseArgs(dataDir, opts.args ?? []);
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--shutdown-grace-ms', '3000', ...database, ...(opts.args ?? [])],
    { env: { ...process.env, CLOUDDESK_BOOTSTRAP_TOKEN: BOOTSTRAP_TOKEN, ...LOCAL_SOURCES_ENV, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const port = await new Promise<number>((resolvePort, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry['msg'] === 'clouddesk listening') resolvePort(Number(entry['port']));
      } catch {
        // not JSON: ignore
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening: ${stderr}`)));
    setTimeout(() => reject(new Error(`server did not start in time: ${stderr}`)), 20_000).unref();
  });
  return wrap(child, port, dataDir, logs, opts);
}

function wrap(child: ChildProcess, port: number, dataDir: string, logs: Record<string, unknown>[], opts: ServerOptions): RunningServer {
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const server: RunningServer = {
    port,
    token: opts.env?.['CLOUDDESK_BOOTSTRAP_TOKEN'] ?? BOOTSTRAP_TOKEN,
    address: `127.0.0.1:${port}`,
    dataDir,
    logs,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async restart(extra: ServerOptions = {}) {
      await server.stop();
      return startServer({ ...opts, ...extra, dataDir });
    },
    async cleanup() {
      await server.kill();
      await dropDatabaseOf(dataDir);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}
