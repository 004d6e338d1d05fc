import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditStoreContract } from '../audit-store.contract.js';
import { SqliteStore } from './sqlite-store.js';

auditStoreContract('SqliteStore', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-audit-store-'));
  const store = await SqliteStore.open(join(dir, 'clouddesk.db'));
  return {
    store,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
