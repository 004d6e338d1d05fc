/**
 * An authorized key of a service account: the public half of the RSA pair whose private half
 * signs the account's JWTs. Its descriptor: a key lives in its account's folder.
 */
import type { ResourceDescriptor } from '../../../domain/resource.js';

export type KeyAlgorithm = 'RSA_2048' | 'RSA_4096';

export interface AuthorizedKey {
  /** `aje` + 17 characters; the JWT header `kid`. */
  id: string;
  serviceAccountId: string;
  description: string;
  algorithm: KeyAlgorithm;
  /** PEM SubjectPublicKeyInfo. The private half is never stored. */
  publicKey: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export const KEY: ResourceDescriptor<AuthorizedKey> = {
  kind: 'key',
  label: 'key',
  idPrefix: 'aje',
  family: 'iam.serviceAccounts',
  operationKinds: 'iam.key.',
  async locate(tx, id) {
    const key = await tx.iamKeys.get(id);
    const account = key && (await tx.serviceAccounts.get(key.serviceAccountId));
    return account && { folderId: account.folderId };
  },
};

/** Audit `details` of key events: the key, its account and the account's folder. */
export function keyDetails(k: Pick<AuthorizedKey, 'id' | 'serviceAccountId'>, folderId: string): Record<string, unknown> {
  return { key_id: k.id, service_account_id: k.serviceAccountId, folder_id: folderId };
}
