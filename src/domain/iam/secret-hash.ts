/**
 * Secrets (IAM tokens, the bootstrap credential) are kept and compared only as SHA-256 hashes,
 * written as 64 lower-case hex digits (the form the token table stores), and hashes are compared
 * in constant time.
 *
 *   const h = hashSecret(token);
 *   sameHash(h, row.hash);
 */
import { hash } from 'node:crypto';

export function hashSecret(secret: string): string {
  // One-shot, with text out: every RPC hashes its token, and a Buffer result costs an
  // ArrayBuffer per call (about 1 µs more than hex text, which is what a lookup needs anyway).
  return hash('sha256', secret, 'hex');
}

/**
 * Whether two hashes are the same, looking at every character whatever the first difference
 * (crypto.timingSafeEqual needs Buffers, which would bring the allocation back).
 */
export function sameHash(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
