import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonlFileSink } from './jsonl-file-sink.js';

describe('JsonlFileSink', () => {
  it('appends one event per line to a 0600 file per UTC day, and closes a line a crash cut short', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'jsonl-')), 'audit');
    try {
      const sink = new JsonlFileSink(dir, { now: () => new Date('2025-03-01T23:59:59Z') });
      const file = sink.fileFor(new Date('2025-03-01T10:00:00Z'));
      assert.equal(file, join(dir, 'audit-2025-03-01.jsonl'));
      await sink.deliver(['{"a":1}', '{"a":2}']);
      appendFileSync(file, '{"a":3,"cut');
      await sink.deliver(['{"a":3}']);
      assert.equal(readFileSync(file, 'utf8'), '{"a":1}\n{"a":2}\n{"a":3,"cut\n{"a":3}\n');
      assert.equal(statSync(file).mode & 0o777, 0o600);
    } finally {
      rmSync(join(dir, '..'), { recursive: true, force: true });
    }
  });
});
