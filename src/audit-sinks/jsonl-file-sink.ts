/**
 * Audit events as JSON Lines, one file per UTC day: `<dir>/audit-YYYY-MM-DD.jsonl`, mode 0600.
 * A batch counts as delivered only after fsync (and, for a new file, fsync of the directory).
 * A line cut short by a crash mid-write is closed with a newline before the next batch, so
 * the file stays one JSON object per line; the cut event arrives again whole (at least once).
 *
 *   const sink = new JsonlFileSink('/var/lib/clouddesk/audit');
 *   await sink.deliver(['{"event_id":"e3v..."}'], signal);
 */
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditSink } from '../domain/audit/delivery.js';
import { systemClock, type Clock } from '../clock.js';

export class JsonlFileSink implements AuditSink {
  readonly name = 'file';
  private dirReady = false;

  constructor(private readonly dir: string, private readonly clock: Clock = systemClock) {}

  /** The file events delivered now go to. */
  fileFor(date: Date): string {
    return join(this.dir, `audit-${date.toISOString().slice(0, 10)}.jsonl`);
  }

  async deliver(events: readonly string[]): Promise<void> {
    if (!this.dirReady) {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      this.dirReady = true;
    }
    const fh = await open(this.fileFor(this.clock.now()), 'a+', 0o600);
    let created = false;
    try {
      const { size } = await fh.stat();
      created = size === 0;
      let prefix = '';
      if (size > 0) {
        const last = Buffer.alloc(1);
        await fh.read(last, 0, 1, size - 1);
        if (last[0] !== 0x0a) prefix = '\n';
      }
      await fh.write(`${prefix}${events.join('\n')}\n`);
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (created) await syncDir(this.dir);
  }
}

async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}
