/**
 * Desktop passwords (docs/decisions.md point 17): a fresh random password is returned exactly
 * once; only a salted scrypt hash is stored, so it cannot be read back from the database, and it
 * never reaches a log, an audit event or an operation.
 *
 *   const password = newPassword();                 // 20 characters
 *   await tx.desktopPasswords.set(desktopId, subjectId, await hashPassword(password), now);
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
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

/** 20 characters from a 64-symbol alphabet without look-alikes: 120 bits. */
export function newPassword(length = 20): string {
  let out = '';
  for (const b of randomBytes(length)) out += ALPHABET[b % ALPHABET.length];
  return out;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 32, { ...PARAMS, maxmem: 64 * 1024 * 1024 } as typeof PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const got = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 } as typeof PARAMS);
  return timingSafeEqual(got, expected);
}
