/**
 * Chooses the store from the configuration: the embedded SQLite file in the data dir, or
 * PostgreSQL when `--database` names one. Every store is built from the same parts.
 *
 *   const store = await openStore({ dataDir, database }, STORAGE);
 */
import { join } from 'node:path';
import type { Store } from '../domain/store.js';
import type { StoragePart } from './sql/storage-part.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import { PostgresStore } from './postgres/postgres-store.js';
import type { Cluster } from '../domain/cluster.js';
import { LocalCluster } from './cluster/local-cluster.js';
import { PgCluster } from './postgres/pg-cluster.js';

export interface StoreConfig {
  readonly dataDir: string;
  /** A postgres:// URL; unset means the embedded store. */
  readonly database?: string;
  /** Bound of the embedded store's row cache, in bytes. */
  readonly rowCacheBytes?: number;
}

export async function openStore(config: StoreConfig, parts: readonly StoragePart[]): Promise<Store> {
  if (config.database) return PostgresStore.open(config.database, parts);
  return SqliteStore.open(join(config.dataDir, 'clouddesk.db'), parts, config.rowCacheBytes);
}

/** What the replicas on this store share: LISTEN/NOTIFY and advisory locks on PostgreSQL, this process alone on SQLite. */
export async function openCluster(store: Store, dataDir: string): Promise<Cluster> {
  if (store instanceof PostgresStore) return PgCluster.open(store, dataDir);
  return new LocalCluster(dataDir);
}
