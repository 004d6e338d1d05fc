import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeContract } from '../store.contract.js';
import { SqliteStore } from './sqlite-store.js';

storeContract('SqliteStore', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-store-'));
  const store = await SqliteStore.open(join(dir, 'clouddesk.db'));
  return {
    store,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
