/**
 * Resource ids as the real API shapes them (docs/decisions.md point 4): a 3-character prefix and 17
 * characters of [a-z0-9] drawn from a cryptographic source without modulo bias. Each resource's
 * descriptor (domain/resource.ts) holds its prefix.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function newId(prefix: string): string {
  let out = prefix;
  while (out.length < 20) {
    for (const b of randomBytes(24)) {
      // 252 = 7 * 36: bytes above it would favour the first letters.
      if (b < 252) out += ALPHABET[b % 36];
      if (out.length === 20) break;
    }
  }
  return out;
}

export const ID_PATTERN = /^[a-z0-9]{20}$/;
