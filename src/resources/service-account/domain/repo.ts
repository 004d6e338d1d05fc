/** The service account repository port; storage/table.ts implements it over SQL. */
import type { ListQuery, Page } from '../../../domain/listing/list-query.js';
import type { ServiceAccount } from './service-account.js';

export interface ServiceAccountRepo {
  get(id: string): Promise<ServiceAccount | undefined>;
  findByName(folderId: string, name: string): Promise<ServiceAccount | undefined>;
  list(q: ListQuery): Promise<Page<ServiceAccount>>;
  insert(account: ServiceAccount): Promise<void>;
  delete(id: string): Promise<boolean>;
  touchAuthenticated(id: string, at: Date): Promise<void>;
}

declare module '../../../domain/store.js' {
  interface Repos {
    serviceAccounts: ServiceAccountRepo;
  }
}
