/**
 * Repositories of the IAM tables (service accounts, authorized keys, issued tokens, folder
 * access bindings), part of `Repos` in store.ts and written once over SqlExecutor in
 * storage/sql/iam-*.ts.
 *
 *   const key = await store.read((tx) => tx.iamKeys.get(kid));
 *   await store.transact(async (tx) => {
 *     await tx.iamKeys.delete(keyId);
 *     await tx.iamTokens.deleteByKey(keyId);    // revoked together with the key
 *   });
 */
import type {
  AccessBinding, AuthorizedKey, IssuedToken, ServiceAccount,
} from '../domain/iam/identities.js';
import type { ListQuery, Page } from './store.js';

export interface ServiceAccountRepo {
  get(id: string): Promise<ServiceAccount | undefined>;
  findByName(folderId: string, name: string): Promise<ServiceAccount | undefined>;
  list(q: ListQuery): Promise<Page<ServiceAccount>>;
  insert(account: ServiceAccount): Promise<void>;
  delete(id: string): Promise<boolean>;
  touchAuthenticated(id: string, at: Date): Promise<void>;
}

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

export interface IamTokenRepo {
  insert(token: IssuedToken): Promise<void>;
  findByHash(hash: string): Promise<IssuedToken | undefined>;
  deleteByKey(keyId: string): Promise<number>;
  deleteBySubject(subjectId: string): Promise<number>;
  purgeExpired(now: Date): Promise<number>;
}

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

export interface IamRepos {
  serviceAccounts: ServiceAccountRepo;
  iamKeys: IamKeyRepo;
  iamTokens: IamTokenRepo;
  accessBindings: AccessBindingRepo;
}
