/**
 * Resource ids as the real API shapes them (docs/decisions.md point 4): a 3-character prefix and 17
 * characters of [a-z0-9] drawn from a cryptographic source without modulo bias. Each resource's
 * descriptor (domain/resource.ts) holds its prefix.
 */
import { randomFillSync } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Random bytes are drawn 4 KiB at a time and used once each: a call into the CSPRNG per id cost
 * more than the id (a Copy makes four ids, with its audit events).
 */
const pool = Buffer.alloc(4096);
let next = pool.length;

function randomByte(): number {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++]!;
}

export function newId(prefix: string): string {
  let out = prefix;
  while (out.length < 20) {
    const b = randomByte();
    // 252 = 7 * 36: bytes above it would favour the first letters.
    if (b < 252) out += ALPHABET[b % 36];
  }
  return out;
}

export const ID_PATTERN = /^[a-z0-9]{20}$/;
