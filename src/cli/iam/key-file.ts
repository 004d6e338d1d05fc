/**
 * The authorized key file, in the layout `yc iam key create --output` writes
 * (wire-contract.md section 15.4): one JSON object with snake_case names. It holds a private
 * key, so it is created with mode 0600 and never overwritten. Reading accepts the
 * lowerCamelCase names too, as the go SDK does.
 *
 *   writeKeyFile('key.json', { id, service_account_id, created_at, key_algorithm, public_key, private_key });
 *   const key = readKeyFile('key.json');   // { id, serviceAccountId, privateKey }
 */
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { CliError } from '../shared/client.js';

export interface KeyFileContent {
  id: string;
  service_account_id: string;
  created_at: string;
  description?: string;
  key_algorithm: string;
  public_key: string;
  private_key: string;
}

export function writeKeyFile(path: string, content: KeyFileContent): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new CliError(`${path} already exists; choose another --output`);
    throw err;
  }
  try {
    writeSync(fd, `${JSON.stringify(content, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function readKeyFile(path: string): { id: string; serviceAccountId: string; privateKey: string } {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    // Not the parser's message: it quotes the file, which holds a private key.
    if ((err as NodeJS.ErrnoException).code) throw new CliError(`${path}: ${(err as NodeJS.ErrnoException).code}`);
    throw new CliError(`${path}: not a JSON key file`);
  }
  const pick = (snake: string, camel: string): string => {
    const v = raw[snake] ?? raw[camel];
    if (typeof v !== 'string' || v === '') throw new CliError(`${path}: "${snake}" is missing`);
    return v;
  };
  return { id: pick('id', 'id'), serviceAccountId: pick('service_account_id', 'serviceAccountId'), privateKey: pick('private_key', 'privateKey') };
}
