/**
 * What a change that revokes credentials tells the token caches: inside its transaction,
 * `announce` writes a notice that every replica, this one included, hears when (and only if)
 * it commits, and each drops the tokens of the deleted keys or account from its cache.
 *
 *   await store.transact(async (tx) => { await tx.iamKeys.delete(id); await tokens.announce(tx, { keyIds: [id] }); });
 */
import type { Repos } from '../store.js';

export type RevokedTokens = { keyIds?: readonly string[]; subjectId?: string };

export interface TokenRevocation {
  announce(tx: Repos, by: RevokedTokens): Promise<void>;
}
