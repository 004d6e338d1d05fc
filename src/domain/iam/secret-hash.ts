/**
 * Secrets (IAM tokens, the bootstrap credential) are kept and compared only as SHA-256 hashes,
 * and hashes are compared in constant time.
 *
 *   const h = hashSecret(token);            // 32 bytes
 *   sameHash(h, Buffer.from(row.hash, 'hex'));
 */
import { hash, timingSafeEqual } from 'node:crypto';

export function hashSecret(secret: string): Buffer {
  // The one-shot form (Node ≥ 20.12): no Hash object per call, which a per-RPC token check made.
  return hash('sha256', secret, 'buffer');
}

export function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
