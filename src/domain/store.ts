/**
 * The store port: every write goes through `transact`, every read through `read`, and a change,
 * its Operation and its audit event commit together or not at all. Adapters live in
 * storage/ (SQLite, PostgreSQL) and are chosen by the composition root. `transact` may run `fn`
 * more than once (PostgreSQL retries a transaction that lost a conflict), so `fn` changes
 * nothing but the database and values it makes afresh.
 *
 * `Repos` is open: each part of the system adds its repositories from its own folder, next to
 * their port, so this hub never names a resource:
 *
 *   declare module '../../../domain/store.js' {
 *     interface Repos { desktopImages: DesktopImageRepo }
 *   }
 *
 *   const image = await store.read((tx) => tx.desktopImages.get(id));
 *   await store.transact(async (tx) => {
 *     await tx.desktopImages.insert(image);
 *     await tx.operations.insert(op);          // commits together, or not at all
 *   });
 */

// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface Repos {}

export interface Store {
  read<T>(fn: (tx: Repos) => Promise<T>): Promise<T>;
  transact<T>(fn: (tx: Repos) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Whole-database controls of the emulator (`--emulator`); the embedded store has them. Each
 * runs in the store's write queue, so no transaction sees half of one.
 */
export interface StoreAdmin {
  /** Deletes every row (the schema and its migration bookkeeping stay). */
  wipe(): Promise<void>;
  /** Writes a consistent copy of the whole database to `file`. */
  snapshot(file: string): Promise<void>;
  /** Replaces every row with those of `file`, a snapshot of the same schema, in one transaction. */
  restore(file: string): Promise<void>;
}

export function isStoreAdmin(store: Store): store is Store & StoreAdmin {
  return 'wipe' in store && 'snapshot' in store && 'restore' in store;
}

