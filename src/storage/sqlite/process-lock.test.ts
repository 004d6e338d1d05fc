import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirInUseError, lockProcess } from './process-lock.js';
import { SqliteStore } from './sqlite-store.js';
import { STORAGE } from '../../resources.js';

const withDir = async (fn: (db: string) => Promise<void>) => {
  const dir = mkdtempSync(join(tmpdir(), 'process-lock-'));
  try {
    await fn(join(dir, 'clouddesk.db'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

describe('one process per embedded store', () => {
  it('refuses a second process while the first lives, naming it and the way out', async () => {
    await withDir(async (db) => {
      writeFileSync(`${db}.lock`, String(process.ppid)); // a live process that is not this one
      await assert.rejects(SqliteStore.open(db, STORAGE), (err: unknown) => {
        assert.ok(err instanceof DataDirInUseError);
        assert.match(err.message, new RegExp(`pid ${process.ppid}.*serves one process.*--database postgres`));
        return true;
      });
      assert.equal(readFileSync(`${db}.lock`, 'utf8'), String(process.ppid), 'the holder keeps its lock');
    });
  });

  it('takes over the lock of a process that died, and removes it on close', async () => {
    await withDir(async (db) => {
      const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
      writeFileSync(`${db}.lock`, String(gone));
      const store = await SqliteStore.open(db, STORAGE);
      assert.equal(readFileSync(`${db}.lock`, 'utf8'), String(process.pid));
      await store.close();
      assert.equal(existsSync(`${db}.lock`), false);
      const release = lockProcess(db);
      release();
    });
  });
});
