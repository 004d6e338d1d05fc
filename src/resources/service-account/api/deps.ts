/** What the ServiceAccountService handlers need from the domain. */
import type { ServiceAccounts } from '../domain/service-accounts.js';

export interface Deps {
  readonly accounts: ServiceAccounts;
}

/** The permission family of service accounts and their keys. */
export const IAM = 'iam.serviceAccounts';
