/** The idempotency key repository port; storage/sql/idempotency-keys.ts implements it. */
import type { IdempotencyRecord, IdempotencyScope } from './idempotency-keys.js';

export interface IdempotencyKeyRepo {
  get(scope: IdempotencyScope): Promise<IdempotencyRecord | undefined>;
  /**
   * Claims the key: inserts when it is free (`replacing` null), or replaces the record whose
   * claim is `replacing`. True when this claim won; false when another request got there first.
   */
  claim(
    scope: IdempotencyScope,
    rec: { requestHash: string; claim: string; createdAt: Date; leaseUntil: Date; expiresAt: Date },
    replacing: string | null,
  ): Promise<boolean>;
  /** Ties the operation to the key if `claim` still holds it and nothing is bound yet. */
  bind(scope: IdempotencyScope, claim: string, operationId: string): Promise<boolean>;
  /** Frees the key if `claim` holds it and no operation is bound. */
  release(scope: IdempotencyScope, claim: string): Promise<void>;
  purgeExpired(now: Date): Promise<number>;
}

declare module '../store.js' {
  interface Repos {
    idempotencyKeys: IdempotencyKeyRepo;
  }
}
