/**
 * Desktop passwords (docs/decisions.md point 17): a fresh random password is returned exactly
 * once; only a salted scrypt hash is stored, so it cannot be read back from the database, and it
 * never reaches a log, an audit event or an operation.
 *
 *   const password = newPassword();                 // 20 characters
 *   await tx.desktopPasswords.set(desktopId, subjectId, await hashPassword(password), now);
 */
import { randomBytes, randomInt, scrypt } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number }) => Promise<Buffer>;

/** N=2^15, r=8, p=1: 32 MiB and tens of milliseconds per hash, the cost an offline guess pays too. */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 };
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%+-=?@';

export interface PasswordRepo {
  set(desktopId: string, subjectId: string, hash: string, at: Date): Promise<void>;
  get(desktopId: string, subjectId: string): Promise<string | undefined>;
  deleteOfDesktop(desktopId: string): Promise<number>;
}

declare module '../../../domain/store.js' {
  interface Repos {
    desktopPasswords: PasswordRepo;
  }
}

/** 20 characters drawn uniformly from a 65-symbol alphabet without look-alikes: over 120 bits. */
export function newPassword(length = 20): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 32, { ...PARAMS, maxmem: 64 * 1024 * 1024 } as typeof PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}
