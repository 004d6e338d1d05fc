/**
 * Server secrets kept in the data dir: created on first start with mode 0600, read afterwards.
 * Every process of one installation must share them (they sign page tokens).
 */
import { randomBytes } from 'node:crypto';
import { openSync, readFileSync, writeSync, closeSync, fsyncSync } from 'node:fs';

export function loadSecret(file: string, bytes = 32): Buffer {
  try {
    const fd = openSync(file, 'wx', 0o600);
    const secret = randomBytes(bytes);
    writeSync(fd, secret.toString('base64'));
    fsyncSync(fd);
    closeSync(fd);
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  }
}
