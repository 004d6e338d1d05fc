/**
 * Data at rest (docs/security.md): the data dir and every directory under it are 0700 and no
 * file under it has group or other bits (database, WAL, keys 0600; blobs 0400). New files get
 * there through the process umask (077, set before the store opens, because SQLite creates its
 * -wal and -shm files itself); an installation made by an older version is tightened here at
 * start-up, with one log line saying how many paths changed. Symbolic links are not followed.
 *
 *   secureDataDir(config.dataDir);   // first thing in startApp
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loggers } from './logger.js';

const GROUP_OTHER = 0o077;

export function secureDataDir(dir: string): number {
  process.umask(GROUP_OTHER);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tightened = tighten(dir);
  if (tightened > 0) loggers.server.warn({ dataDir: dir, paths: tightened }, 'removed group and other permissions under the data dir');
  return tightened;
}

/** Clears group/other bits below `path`; directories become 0700. Returns how many changed. */
function tighten(path: string): number {
  const st = lstatSync(path);
  if (st.isSymbolicLink()) return 0;
  let changed = 0;
  const mode = st.mode & 0o7777;
  const wanted = st.isDirectory() ? 0o700 : mode & 0o700;
  if (mode !== wanted) {
    chmodSync(path, wanted);
    changed++;
  }
  if (st.isDirectory()) for (const name of readdirSync(path)) changed += tighten(join(path, name));
  return changed;
}
