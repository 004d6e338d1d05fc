/** What the KeyService handlers need from the domain. */
import type { Keys } from '../domain/keys.js';
import type { CallContext } from '../../../transport/rpc.js';
import { SUBJECT } from '../../../api/caller.js';

export interface Deps {
  readonly keys: Keys;
}

/** Keys belong to the permission family of their service accounts. */
export const IAM = 'iam.serviceAccounts';

/**
 * An empty service_account_id means the caller's own account (wire-contract.md 16 item 8); the
 * bootstrap credential has none, so its use case answers INVALID_ARGUMENT.
 */
export function ownAccountIfEmpty(serviceAccountId: string, ctx: CallContext): string {
  if (serviceAccountId !== '') return serviceAccountId;
  const subject = ctx.values.get(SUBJECT);
  return subject?.type === 'SERVICE_ACCOUNT' ? subject.id : '';
}
