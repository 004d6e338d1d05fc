import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AesGcmBox, loadSecret } from './secrets.js';

describe('AesGcmBox', () => {
  it('seals with a fresh IV each time and opens only with the same key, unaltered', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clouddesk-secret-'));
    try {
      const key = loadSecret(join(dir, 'import-uri.key'));
      assert.equal(statSync(join(dir, 'import-uri.key')).mode & 0o777, 0o600);
      const box = new AesGcmBox(key);
      const uri = 'https://s3.example.com/a.qcow2?X-Amz-Signature=abc';
      const [a, b] = [box.seal(uri), box.seal(uri)];
      assert.notEqual(a, b);
      assert.ok(!a.includes('abc') && !Buffer.from(a).includes(Buffer.from(uri)));
      assert.equal(box.open(a), uri);
      assert.throws(() => new AesGcmBox(randomBytes(32)).open(a));
      const tampered = a.slice(0, -2) + (a.endsWith('A') ? 'B' : 'A') + a.slice(-1);
      assert.throws(() => box.open(tampered));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
