/**
 * Who is using an embedded data dir. `clouddesk serve` on the embedded store holds an exclusive
 * SQLite lock on `<data-dir>/serve.lock` for as long as it runs; `clouddesk migrate` and
 * `clouddesk restore` try to take the same lock and refuse when they cannot. The lock is the
 * operating system's (a POSIX record lock through SQLite), so it goes away with the process
 * however it ends (a crash or kill -9 leaves nothing stale), and it holds across containers that
 * mount the same directory. `clouddesk backup` takes no lock: it reads a running server's data.
 *
 *   const lock = holdDataDirLock(dataDir);   // throws DataDirInUseError when someone holds it
 *   ...
 *   lock.release();
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';

export const LOCK_FILE = 'serve.lock';

export class DataDirInUseError extends Error {
  constructor(readonly dataDir: string) {
    super(`the data dir ${dataDir} is in use by a running clouddesk server (${LOCK_FILE} is locked); stop it first, or run several replicas on --database postgres://...`);
  }
}

export interface DataDirLock {
  release(): void;
}

/** Takes the data dir's lock (the dir must exist); throws DataDirInUseError when another process holds it. */
export function holdDataDirLock(dataDir: string): DataDirLock {
  const db = new Database(join(dataDir, LOCK_FILE));
  try {
    db.pragma('busy_timeout = 0');
    // EXCLUSIVE locking mode keeps the lock after the first write transaction until close.
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS holder (pid INTEGER); DELETE FROM holder; COMMIT');
    db.prepare('INSERT INTO holder (pid) VALUES (?)').run(process.pid);
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) throw new DataDirInUseError(dataDir);
    throw err;
  }
  return { release: () => db.close() };
}
