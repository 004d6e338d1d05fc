/**
 * A SQLite store in a fresh temp dir, for tests: `cleanup()` closes it and removes the dir.
 *
 *   let temp: TempStore;
 *   before(async () => { temp = await openTempStore('pager-'); });
 *   after(() => temp.cleanup());
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from './sqlite-store.js';
import { STORAGE } from '../../resources.js';

export interface TempStore {
  store: SqliteStore;
  dir: string;
  cleanup(): Promise<void>;
}

export async function openTempStore(prefix: string): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const store = await SqliteStore.open(join(dir, 'clouddesk.db'), STORAGE);
  return {
    store,
    dir,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
