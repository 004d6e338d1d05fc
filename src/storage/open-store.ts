/**
 * Chooses the store from the configuration: today the embedded SQLite file in the data dir.
 * A second implementation (PostgreSQL) is one more branch here and one new folder.
 *
 *   const store = await openStore({ dataDir }, STORAGE);
 */
import { join } from 'node:path';
import type { Store } from '../domain/store.js';
import type { StoragePart } from './sql/storage-part.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

export interface StoreConfig {
  readonly dataDir: string;
}

export async function openStore(config: StoreConfig, parts: readonly StoragePart[]): Promise<Store> {
  return SqliteStore.open(join(config.dataDir, 'clouddesk.db'), parts);
}
