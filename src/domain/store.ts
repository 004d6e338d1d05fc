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

export type { ListQuery, Page } from './listing/list-query.js';
