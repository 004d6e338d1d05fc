/**
 * Secrets (IAM tokens, the bootstrap credential) are kept and compared only as SHA-256 hashes,
 * written as 64 lower-case hex digits (the form the token table stores), and hashes are compared
 * in constant time.
 *
 *   const h = hashSecret(token);
 *   sameHash(h, row.hash);
 */
import { hash, timingSafeEqual } from 'node:crypto';

export function hashSecret(secret: string): string {
  // One-shot, with text out: every RPC hashes its token, and a Buffer result costs an
  // ArrayBuffer per call (about 1 µs more than hex text, which is what a lookup needs anyway).
  return hash('sha256', secret, 'hex');
}

export function sameHash(a: string, b: string): boolean {
  // Hex is ASCII, so latin1 gives one byte per digit; 64-byte Buffers come from Node's pool.
  return a.length === b.length && timingSafeEqual(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1'));
}
