/**
 * What the replicas of one installation share beyond the store's rows: a change feed that tells
 * every replica about a change its caches must drop (PostgreSQL LISTEN/NOTIFY; in-process for
 * the embedded store, which is one process), named exclusive sections and leaderships (advisory
 * locks), and secrets every replica must hold alike (page tokens, sealed import URIs).
 * Adapters live in storage/ and the store factory picks the one that fits the store.
 *
 *   const off = cluster.feed.subscribe('iam.revoked', (payload) => payload ? forget(JSON.parse(payload)) : forgetAll());
 *   await cluster.feed.publish('iam.revoked', JSON.stringify({ subjectId }));
 *   await cluster.exclusive('seed-system-images', () => seed());
 *   if (await cluster.leads('audit-delivery')) deliver();
 */
export interface ChangeFeed {
  /**
   * Tells every replica, this one included (its handlers run before this resolves). Delivery
   * is best effort: a handler also hears `undefined` when notices may have been missed (the
   * listening connection was lost), and must then drop everything it caches.
   */
  publish(topic: string, payload: string): Promise<void>;
  subscribe(topic: string, handler: (payload: string | undefined) => void): () => void;
}

export interface Cluster {
  /** Whether other processes share the store (PostgreSQL); the embedded store is one process's. */
  readonly shared: boolean;
  readonly feed: ChangeFeed;
  /** Runs `fn` while no replica runs a section of the same name. */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Whether this replica is the one that does `name` now (at most one replica at a time; the
   * role passes on when its holder dies). Cheap once held: callers ask before each round.
   */
  leads(name: string): Promise<boolean>;
  /** A 32-byte secret shared by every replica, made by the first that asks. */
  secret(name: string): Promise<Buffer>;
  close(): Promise<void>;
}

/**
 * A change notice written inside a transaction: every replica's feed hears it when, and only if,
 * the transaction commits — this process's before the transaction's caller is answered (the
 * store delivers it), the other replicas' through PostgreSQL NOTIFY, which is transactional.
 *
 *   await tx.clusterNotices.publish('iam.revoked', JSON.stringify({ keyIds }));
 */
export interface ClusterNoticeRepo {
  publish(topic: string, payload: string): Promise<void>;
}

/** Stored shared secrets (PostgreSQL; the embedded store keeps them as files in the data dir). */
export interface ClusterSecretRepo {
  /** The stored value of `name`, storing `value` first if there is none. */
  getOrCreate(name: string, value: string): Promise<string>;
}

declare module './store.js' {
  interface Repos {
    clusterSecrets: ClusterSecretRepo;
    clusterNotices: ClusterNoticeRepo;
  }
}
