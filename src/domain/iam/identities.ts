/**
 * The IAM entities as the domain sees them: service accounts, their authorized keys, the IAM
 * tokens issued for those keys (stored only as hashes) and folder access bindings. The wire
 * mapping lives in api/service-account-service and api/key-service.
 */

export interface ServiceAccount {
  /** `aje` + 17 characters (decisions.md point 4). */
  id: string;
  folderId: string;
  /** Unique in its folder. */
  name: string;
  description: string;
  labels: Record<string, string>;
  createdAt: Date;
  /** Last successful JWT exchange. */
  lastAuthenticatedAt: Date | null;
}

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

export interface IssuedToken {
  /** Hex SHA-256 of the whole token: the only form in which a token is kept. */
  hash: string;
  /** Public handle of the token (audit `token_info.iam_token_id`); not a credential. */
  tokenId: string;
  subjectId: string;
  keyId: string;
  createdAt: Date;
  expiresAt: Date;
}

/** Subject types clouddesk accepts in access bindings. */
export type BindingSubjectType = 'serviceAccount' | 'system';

export interface AccessBinding {
  folderId: string;
  roleId: string;
  subjectType: BindingSubjectType;
  /** Service account id, or `allAuthenticatedUsers` for the `system` type. */
  subjectId: string;
}

/** The one `system` subject clouddesk knows: every authenticated caller. */
export const ALL_AUTHENTICATED_USERS = 'allAuthenticatedUsers';

export const SERVICE_ACCOUNT_FILTER_FIELDS = ['name'] as const;
export const SERVICE_ACCOUNT_ORDER_FIELDS: Record<string, string> = {
  name: 'name',
  created_at: 'created_at',
  createdAt: 'created_at',
};

export type AccessBindingAction = 'ADD' | 'REMOVE';

/** One change to a folder's bindings (`yandex.cloud.access.AccessBindingDelta`). */
export interface AccessBindingDelta {
  action: AccessBindingAction;
  binding: Omit<AccessBinding, 'folderId'>;
}

/** What an access-binding operation reports: the changes that actually took effect. */
export interface AccessBindingsResult {
  effectiveDeltas: AccessBindingDelta[];
}
