/** The access binding repository port; storage/table.ts implements it over SQL. */
import type { Page } from '../../../domain/listing/list-query.js';
import type { AccessBinding } from './access-binding.js';

export interface AccessBindingRepo {
  /** Keyset page by (role_id, subject_type, subject_id). */
  listByFolder(folderId: string, limit: number, after?: unknown[]): Promise<Page<AccessBinding>>;
  allInFolder(folderId: string): Promise<AccessBinding[]>;
  /** Role ids bound on the folder to any of the subject ids (the authorization hot path). */
  rolesOf(folderId: string, subjectIds: string[]): Promise<string[]>;
  /** False when the binding already existed. */
  insert(binding: AccessBinding): Promise<boolean>;
  /** False when there was no such binding. */
  delete(binding: AccessBinding): Promise<boolean>;
  deleteBySubject(subjectId: string): Promise<number>;
}

declare module '../../../domain/store.js' {
  interface Repos {
    accessBindings: AccessBindingRepo;
  }
}
