/**
 * What a change that revokes credentials tells the token caches: inside its transaction,
 * `announce` writes a notice the other replicas hear when (and only if) it commits; after the
 * commit, `forget` drops the tokens of deleted keys or of a deleted account from this process's
 * cache, so they stop working at once everywhere.
 *
 *   await store.transact(async (tx) => { await tx.iamKeys.delete(id); await tokens.announce(tx, { keyIds: [id] }); });
 *   tokens.forget({ keyIds: [id] });
 */
import type { Repos } from '../store.js';

export type RevokedTokens = { keyIds?: readonly string[]; subjectId?: string };

export interface TokenRevocation {
  announce(tx: Repos, by: RevokedTokens): Promise<void>;
  forget(by: RevokedTokens): void;
}
