/**
 * Server secrets kept in the data dir: created on first start with mode 0600, read afterwards.
 * Every process of one installation must share them (they sign page tokens): on PostgreSQL the
 * replicas keep them in the database instead (storage/postgres/pg-cluster.ts).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { openSync, readFileSync, writeSync, closeSync, fsyncSync } from 'node:fs';
import type { SecretBox } from './domain/secret-box.js';

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

/**
 * AES-256-GCM with a key kept beside the others in the data dir (mode 0600). A sealed value is
 * `v1.<iv>.<tag>.<ciphertext>` in base64url, with a fresh 96-bit IV each time.
 *
 *   const box = new AesGcmBox(loadSecret(join(dataDir, 'import-uri.key')));
 */
export class AesGcmBox implements SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('AES-256-GCM needs a 32-byte key');
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  open(sealed: string): string {
    const [v, iv, tag, data] = sealed.split('.');
    if (v !== 'v1' || !iv || !tag || data === undefined) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}
