/** The authorized key repository port; storage/table.ts implements it over SQL. */
import type { Page } from '../../../domain/listing/list-query.js';
import type { AuthorizedKey } from './key.js';

export interface IamKeyRepo {
  get(id: string): Promise<AuthorizedKey | undefined>;
  /** Keyset page by (created_at, id); `after` is the last row's pair. */
  listByServiceAccount(serviceAccountId: string, limit: number, after?: unknown[]): Promise<Page<AuthorizedKey>>;
  insert(key: AuthorizedKey): Promise<void>;
  delete(id: string): Promise<boolean>;
  /** Deletes every key of the account; returns their ids. */
  deleteByServiceAccount(serviceAccountId: string): Promise<string[]>;
  touchUsed(id: string, at: Date): Promise<void>;
}

declare module '../../../domain/store.js' {
  interface Repos {
    iamKeys: IamKeyRepo;
  }
}
