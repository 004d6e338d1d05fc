/**
 * Named loggers, declared once. Every line is one JSON object (pino).
 *
 *   import { loggers, logRpc } from './logger.js';
 *   loggers.store.warn({ err }, 'idle database connection failed');
 *   logRpc(method, 'grpc', { code, durationMs, requestId, subject });   // one line per call
 */
import { writeSync } from 'node:fs';
import pino, { type DestinationStream, type Logger } from 'pino';

// Lines are batched into writes of about 64 KiB, and handed over at least every 200 ms so an
// idle server's log is never stale. Each hand-over is a write on libuv's thread pool (a thread
// wake-up, the system call, a completion back on this thread): at 4 KiB (some 14 access lines)
// that still cost about 6 µs of server CPU per REST Get, at 64 KiB it does not show (bench/
// RESULTS.md, "The cost of each obligation, by ablation"). The batching is LineBatch's alone:
// sonic-boom writes what it is handed.
const BATCH_BYTES = 64 * 1024;
const STDOUT = 1;
// In buffer mode sonic-boom writes Buffers (its type only speaks of strings).
const destination = pino.destination({ dest: STDOUT, sync: false, contentMode: 'buffer' }) as unknown as {
  write(bytes: Buffer): boolean;
  flushSync(): void;
  on(event: 'write', listener: (bytes: number) => void): void;
};
// Bytes handed to the destination and not written yet. flushSync writes only what is queued, not
// a write already in flight, so the last hand-over before an exit is written here (lastWords).
let unwritten = 0;
/** Called once nothing handed over is left unwritten (drainLogs). */
let whenWritten: (() => void)[] = [];
destination.on('write', (bytes) => {
  unwritten -= bytes;
  if (unwritten === 0 && whenWritten.length > 0) {
    const waiting = whenWritten;
    whenWritten = [];
    for (const done of waiting) done();
  }
});

/**
 * Collects lines and hands them to the destination some 64 KiB at a time, as UTF-8 bytes. Each
 * line is encoded when it is made: pino builds it by concatenation, and keeping a batch of such
 * strings until the hand-over made the young-generation GC copy them, and the join walk them
 * again, long after they were hot (about 1.5 µs per line; bench/RESULTS.md, seventh session).
 */
class LineBatch implements DestinationStream {
  private bytes = Buffer.allocUnsafe(BATCH_BYTES);
  private used = 0;

  write(line: string): void {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8: room for that is room for the line.
    if (this.used + line.length * 3 > BATCH_BYTES) {
      this.handOver();
      if (line.length * 3 > BATCH_BYTES) {
        const bytes = Buffer.from(line, 'utf8');
        unwritten += bytes.length;
        destination.write(bytes);
        return;
      }
    }
    this.used += this.bytes.write(line, this.used, 'utf8');
  }

  handOver(): void {
    if (this.used === 0) return;
    // The destination keeps the bytes until they are written: the next batch gets new ones.
    const batch = this.bytes.subarray(0, this.used);
    this.bytes = Buffer.allocUnsafe(BATCH_BYTES);
    this.used = 0;
    unwritten += batch.length;
    destination.write(batch);
  }

  /**
   * The hand-over before an exit, written before this returns. With nothing in flight the batch
   * is written here, in order. Otherwise, or if the descriptor refuses a write now (EAGAIN),
   * sonic-boom's flushSync writes it, which retries but may put it before the write in flight.
   */
  lastWords(): void {
    if (unwritten === 0) {
      try {
        while (this.used > 0) {
          const n = writeSync(STDOUT, this.bytes, 0, this.used);
          this.bytes.copy(this.bytes, 0, n, this.used);
          this.used -= n;
        }
        return;
      } catch {
        // the rest goes through the destination
      }
    }
    this.handOver();
    destination.flushSync();
  }
}

const lines = new LineBatch();
setInterval(() => {
  try {
    lines.handOver();
  } catch {
    // not ready yet, or closed
  }
}, 200).unref();
process.on('exit', () => flushLogs());
/** The time of the line being written, when that is not now (see logRpc). */
let stamped: number | undefined;
const root: Logger = pino({ base: { service: 'clouddesk' }, timestamp: isoTime() }, lines);

/**
 * pino's isoTime, made once per millisecond: a busy server writes many lines in the same one, and
 * a Date and toISOString per line was about 2 % of a Get's CPU. A line written later than it
 * happened (logRpc) carries its own time in `stamped`.
 */
function isoTime(): () => string {
  let at = -1;
  let field = '';
  return () => {
    const now = stamped ?? Date.now();
    if (now !== at) {
      at = now;
      field = `,"time":"${new Date(now).toISOString()}"`;
    }
    return field;
  };
}

export const loggers = {
  server: root.child({ logger: 'server' }),
  rpc: root.child({ logger: 'rpc' }),
  store: root.child({ logger: 'store' }),
  blobs: root.child({ logger: 'blobs' }),
  operations: root.child({ logger: 'operations' }),
  desktops: root.child({ logger: 'desktops' }),
};

// By protocol, then by method: registered methods only, so bounded. A child keeps the level it
// was made with, so setLogLevel drops them.
const rpcLoggers = { grpc: new Map<string, Logger>(), rest: new Map<string, Logger>() };

/**
 * The rpc logger with a method and protocol bound. pino writes a child's bindings as text once,
 * so the line costs less than with those two fields in every call's object (about 0.3 µs of
 * 1 µs, timed alone), and it reads the same: bound fields come right after `logger`.
 */
function rpcLogger(method: string, protocol: 'grpc' | 'rest'): Logger {
  const byMethod = rpcLoggers[protocol];
  let logger = byMethod.get(method);
  if (logger === undefined) byMethod.set(method, (logger = loggers.rpc.child({ method, protocol })));
  return logger;
}

/** The fields of a call's rpc line after the bound method and protocol. */
export interface RpcLine {
  code: string;
  durationMs: number;
  requestId: string;
  subject: string | undefined;
}

interface PendingRpcLine {
  readonly method: string;
  readonly protocol: 'grpc' | 'rest';
  readonly fields: RpcLine;
  readonly at: number;
}

let pendingRpcLines: PendingRpcLine[] = [];

/**
 * The one line of each call (`Router.dispatch`). It is written a moment later: the lines of the
 * calls that end in one turn of the event loop are made together at its end (setImmediate),
 * each with the time its call ended. Made one after another they cost a List about 2 µs less
 * than each made between the transport's work (bench/RESULTS.md, eighth session). A line may
 * so follow another logger's line that its call caused; the times tell the order. flushLogs
 * writes what is pending.
 */
export function logRpc(method: string, protocol: 'grpc' | 'rest', fields: RpcLine): void {
  // Below the level: nothing to keep for later, as pino's own info() would drop it at once.
  if (!loggers.rpc.isLevelEnabled('info')) return;
  pendingRpcLines.push({ method, protocol, fields, at: Date.now() });
  if (pendingRpcLines.length === 1) setImmediate(writeRpcLines);
}

function writeRpcLines(): void {
  const due = pendingRpcLines;
  pendingRpcLines = [];
  try {
    for (const line of due) {
      stamped = line.at;
      rpcLogger(line.method, line.protocol).info(line.fields, 'rpc');
    }
  } finally {
    stamped = undefined;
  }
}

export function setLogLevel(level: string): void {
  root.level = level;
  for (const l of Object.values(loggers)) l.level = level;
  rpcLoggers.grpc.clear();
  rpcLoggers.rest.clear();
}

/**
 * Ends the process once its log is written: every exit that `process.exit` makes goes through
 * here. A write still in flight on libuv's thread pool when the process exits may never be made,
 * and flushLogs (which runs on 'exit') cannot wait for it; this waits first (at most 2 s).
 *
 *   loggers.server.fatal({ err }, 'clouddesk failed');
 *   void exitWhenLogged(1);
 */
export async function exitWhenLogged(code: number): Promise<never> {
  await drainLogs();
  flushLogs();
  process.exit(code);
}

/** Hands everything over and resolves once it is written (or after `timeoutMs`). */
export function drainLogs(timeoutMs = 2000): Promise<void> {
  try {
    writeRpcLines();
    lines.handOver();
  } catch {
    return Promise.resolve(); // the stream is closed: nothing will be written
  }
  if (unwritten === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    whenWritten.push(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Writes what is buffered; called on shutdown so the last lines are not lost. */
export function flushLogs(): void {
  try {
    writeRpcLines();
    lines.lastWords();
  } catch {
    // nothing buffered or the stream is already closed
  }
}
