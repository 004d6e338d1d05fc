/**
 * Where the bootstrap credential comes from (docs/decisions.md point 6): CLOUDDESK_BOOTSTRAP_TOKEN,
 * or else the file `<data-dir>/bootstrap-token`, created with mode 0600 on first start and read
 * afterwards. Only the file's path is ever logged, never the token.
 *
 *   const { token, source, file } = loadBootstrapToken(config.dataDir, config.bootstrapToken);
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const BOOTSTRAP_TOKEN_FILE = 'bootstrap-token';

export interface BootstrapToken {
  token: string;
  source: 'environment' | 'created' | 'file';
  /** The file it was read from or written to. */
  file?: string;
  /** The file was readable by others and has been reset to 0600. */
  tightened?: boolean;
}

export function loadBootstrapToken(dataDir: string, fromEnv: string | undefined): BootstrapToken {
  if (fromEnv !== undefined) return { token: fromEnv, source: 'environment' };
  const file = join(dataDir, BOOTSTRAP_TOKEN_FILE);
  try {
    const fd = openSync(file, 'wx', 0o600);
    const token = `cdb1.${randomBytes(32).toString('base64url')}`;
    try {
      writeSync(fd, `${token}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return { token, source: 'created', file };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  let tightened = false;
  if ((statSync(file).mode & 0o077) !== 0) {
    chmodSync(file, 0o600);
    tightened = true;
  }
  const token = readFileSync(file, 'utf8').trim();
  if (!/^[\x21-\x7e]{16,4096}$/.test(token)) throw new Error(`${file} does not hold a valid bootstrap token; delete it to generate a new one`);
  return { token, source: 'file', file, tightened };
}
