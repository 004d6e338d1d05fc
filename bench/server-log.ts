/**
 * Reads the clouddesk server's JSON log file incrementally and counts the per-RPC lines by
 * status code. h2load sees every gRPC answer as HTTP 200, so this is how a load run learns
 * whether the server answered OK, and how many calls actually reached it.
 *
 *   const log = new ServerLog(file);
 *   log.skipToEnd();
 *   ... load ...
 *   const { total, byCode } = await log.readRpcs();   // lines written since skipToEnd()
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RpcCounts {
  total: number;
  byCode: Record<string, number>;
}

export class ServerLog {
  private offset = 0;

  constructor(private readonly file: string) {}

  skipToEnd(): void {
    const fd = openSync(this.file, 'r');
    this.offset = fstatSync(fd).size;
    closeSync(fd);
  }

  /** Waits briefly for the logger's asynchronous writes to land, then counts what is new. */
  async readRpcs(settleMs = 300): Promise<RpcCounts> {
    await sleep(settleMs);
    const counts: RpcCounts = { total: 0, byCode: {} };
    const fd = openSync(this.file, 'r');
    try {
      const buf = Buffer.alloc(4 * 1024 * 1024);
      let carry = '';
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, this.offset);
        if (n === 0) break;
        this.offset += n;
        const text = carry + buf.toString('utf8', 0, n);
        const lines = text.split('\n');
        carry = lines.pop()!;
        for (const line of lines) {
          if (!line.includes('"msg":"rpc"')) continue;
          const code = /"code":"([A-Z_]+)"/.exec(line)?.[1] ?? '?';
          counts.total++;
          counts.byCode[code] = (counts.byCode[code] ?? 0) + 1;
        }
      }
      this.offset -= Buffer.byteLength(carry); // a half-written last line is read next time
    } finally {
      closeSync(fd);
    }
    return counts;
  }
}
