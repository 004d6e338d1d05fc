/**
 * Chooses the store from the configuration: the embedded SQLite file in the data dir, or
 * PostgreSQL when `--database` names one. Every store is built from the same parts.
 *
 *   const { store, cluster } = await openStore({ dataDir, database }, STORAGE);
 */
import { join } from 'node:path';
import type { Store } from '../domain/store.js';
import type { StoragePart } from './sql/storage-part.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Cluster } from '../domain/cluster.js';
import { LocalCluster } from './cluster/local-cluster.js';

export interface StoreConfig {
  readonly dataDir: string;
  /** A postgres:// URL; unset means the embedded store. */
  readonly database?: string;
  /** Bound of the embedded store's row cache, in bytes. */
  readonly rowCacheBytes?: number;
}

/**
 * The store and what the replicas on it share (the cluster): LISTEN/NOTIFY and advisory locks
 * on PostgreSQL, this process alone on SQLite. The notices a transaction writes
 * (`tx.clusterNotices`) reach this process's feed when it commits. The PostgreSQL modules load only when asked for:
 * `pg` alone is ~15 MiB of RSS the embedded default never uses (bench/RESULTS.md).
 */
export async function openStore(config: StoreConfig, parts: readonly StoragePart[]): Promise<{ store: Store; cluster: Cluster }> {
  if (config.database) {
    const [{ PostgresStore }, { PgCluster }] = await Promise.all([import('./postgres/postgres-store.js'), import('./postgres/pg-cluster.js')]);
    const store = await PostgresStore.open(config.database, parts);
    const cluster = await PgCluster.open(store, config.dataDir);
    store.onNotice((topic, payload) => cluster.feed.deliver(topic, payload));
    return { store, cluster };
  }
  const store = await SqliteStore.open(join(config.dataDir, 'clouddesk.db'), parts, config.rowCacheBytes);
  const cluster = new LocalCluster(config.dataDir);
  store.onNotice((topic, payload) => cluster.feed.deliver(topic, payload));
  return { store, cluster };
}
