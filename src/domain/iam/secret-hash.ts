/**
 * Secrets (IAM tokens, the bootstrap credential) are kept and compared only as SHA-256 hashes,
 * and hashes are compared in constant time.
 *
 *   const h = hashSecret(token);            // 32 bytes
 *   sameHash(h, Buffer.from(row.hash, 'hex'));
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

export function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
