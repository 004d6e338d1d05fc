/**
 * Named loggers, declared once. Every line is one JSON object (pino).
 *
 *   import { loggers } from './logger.js';
 *   loggers.rpc.info({ method, code, durationMs, requestId }, 'rpc');
 */
import pino, { type DestinationStream, type Logger } from 'pino';

// Lines are batched into writes of up to 4 KiB (one write per line costs a system call per
// RPC), and flushed at least every 200 ms so an idle server's log is never stale.
const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });

/**
 * Hands the lines of one event-loop turn to the destination as one string. sonic-boom measures
 * the UTF-8 length of its whole pending buffer on every write (flattening the concatenated
 * string), so writing line by line cost more than the line itself on a busy server.
 */
class LinesPerTurn implements DestinationStream {
  private lines: string[] = [];
  private scheduled = false;

  write(line: string): void {
    this.lines.push(line);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.handOver);
    }
  }

  readonly handOver = (): void => {
    this.scheduled = false;
    if (this.lines.length === 0) return;
    const text = this.lines.join('');
    this.lines = [];
    destination.write(text);
  };
}

const lines = new LinesPerTurn();
setInterval(() => {
  try {
    lines.handOver();
    destination.flush();
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
