/** The access binding repository port; storage/table.ts implements it over SQL. */
import type { Page } from '../../../domain/listing/list-query.js';
import type { AccessBinding, BindingScope } from './access-binding.js';

export interface AccessBindingRepo {
  /** Keyset page by (role_id, subject_type, subject_id). */
  listOn(scope: BindingScope, limit: number, after?: unknown[]): Promise<Page<AccessBinding>>;
  allOn(scope: BindingScope): Promise<AccessBinding[]>;
  /** Role ids bound on any of the scopes to any of the subject ids (the authorization hot path). */
  rolesOf(scopes: readonly BindingScope[], subjectIds: readonly string[]): Promise<string[]>;
  /** False when the binding already existed. */
  insert(binding: AccessBinding): Promise<boolean>;
  /** False when there was no such binding. */
  delete(binding: AccessBinding): Promise<boolean>;
  deleteBySubject(subjectId: string): Promise<number>;
  /** Every binding on a resource that is going away. */
  deleteOn(scope: BindingScope): Promise<number>;
}

declare module '../../../domain/store.js' {
  interface Repos {
    accessBindings: AccessBindingRepo;
  }
}
