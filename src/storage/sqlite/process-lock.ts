/**
 * The embedded store is one process: two servers writing one SQLite file would each run their
 * jobs, sweeps and leases as if alone. A lock file beside the database holds the owner's pid
 * (created with O_EXCL, mode 0600); a second process on the same data dir stops with a message
 * that says what to do. A lock whose process is gone (a crash, SIGKILL) is taken over, so a
 * restart after a crash needs nothing. Several replicas need PostgreSQL (`--database`).
 *
 *   const release = lockProcess('/data/clouddesk.db');   // throws if another process holds it
 *   ...
 *   release();
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

export class DataDirInUseError extends Error {}

export function lockProcess(dbFile: string): () => void {
  const file = `${dbFile}.lock`;
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
    }
    const holder = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
      throw new DataDirInUseError(
        `Another clouddesk process (pid ${holder}) is using ${dbFile}: the embedded SQLite store serves one process. ` +
          `Stop it first, or run several replicas on PostgreSQL (--database postgres://...). ` +
          `If no such process runs, remove ${file}.`,
      );
    }
    unlinkSync(file); // its process is gone: a crash left it
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
