/**
 * Named loggers, declared once. Every line is one JSON object (pino).
 *
 *   import { loggers } from './logger.js';
 *   loggers.rpc.info({ method, code, durationMs, requestId }, 'rpc');
 */
import pino, { type DestinationStream, type Logger } from 'pino';

// Lines are batched into writes of about 64 KiB, and handed over at least every 200 ms so an
// idle server's log is never stale. Each hand-over is a write on libuv's thread pool (a thread
// wake-up, the system call, a completion back on this thread): at 4 KiB (some 14 access lines)
// that still cost about 6 µs of server CPU per REST Get, at 64 KiB it does not show (bench/
// RESULTS.md, "The cost of each obligation, by ablation"). The batching is LineBatch's alone:
// sonic-boom writes what it is handed.
const BATCH_CHARS = 64 * 1024;
const destination = pino.destination({ dest: 1, sync: false });

/**
 * Collects lines and hands them to the destination some 64 KiB at a time. sonic-boom measures
 * the UTF-8 length of its pending buffer on every write (flattening the string it grows by
 * concatenation), so handing it lines one by one cost more than making them on a busy server.
 */
class LineBatch implements DestinationStream {
  private lines: string[] = [];
  private chars = 0;

  write(line: string): void {
    this.lines.push(line);
    this.chars += line.length;
    if (this.chars >= BATCH_CHARS) this.handOver();
  }

  handOver(): void {
    if (this.lines.length === 0) return;
    const text = this.lines.join('');
    this.lines = [];
    this.chars = 0;
    destination.write(text);
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
const root: Logger = pino({ base: { service: 'clouddesk' }, timestamp: isoTime() }, lines);

/**
 * pino's isoTime, made once per millisecond: a busy server writes many lines in the same one, and
 * a Date and toISOString per line was about 2 % of a Get's CPU.
 */
function isoTime(): () => string {
  let at = -1;
  let field = '';
  return () => {
    const now = Date.now();
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

export function setLogLevel(level: string): void {
  root.level = level;
  for (const l of Object.values(loggers)) l.level = level;
}

/** Writes what is buffered; called on shutdown so the last lines are not lost. */
export function flushLogs(): void {
  try {
    lines.handOver();
    destination.flushSync();
  } catch {
    // nothing buffered or the stream is already closed
  }
}
