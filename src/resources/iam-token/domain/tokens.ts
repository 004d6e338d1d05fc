/**
 * IAM tokens: issued for a service-account JWT (IamTokenService.Create), then presented as
 * `Bearer` credentials on every call. A token is random (`t1.<id>.<86 base64url chars>`), lives
 * 12 hours and is stored only as its SHA-256 hash. Verified tokens are cached in memory for a
 * short time because authentication runs on every RPC; deleting a key or a service account
 * drops its tokens from the store and the cache at once, on every replica: the deleting
 * transaction announces it on the change feed, and each replica's tokens drop theirs when they
 * hear it (this process before the deleting call is answered). A JWT is
 * exchanged at most once within its lifetime (docs/security.md, "Authentication").
 *
 *   const { token, expiresAt } = await tokens.exchange(jwt);
 *   const subject = await tokens.authenticate(bearer);    // throws UnauthenticatedError
 */
import { createPublicKey, randomBytes } from 'node:crypto';
import type { Store } from '../../../domain/store.js';
import type { Clock } from '../../../clock.js';
import { UnauthenticatedError } from '../../../domain/errors.js';
import type { Subject } from '../../../domain/iam/subject.js';
import type { RevokedTokens, TokenRevocation } from '../../../domain/iam/token-revocation.js';
import type { Repos } from '../../../domain/store.js';
import type { ChangeFeed } from '../../../domain/cluster.js';
import { hashSecret, sameHash } from '../../../domain/iam/secret-hash.js';
import { checkClaims, CLOCK_SKEW_S, JwtError, parseJwt, replayKey, verifySignature } from './jwt.js';

export const TOKEN_LIFETIME_MS = 12 * 3600_000;
const CACHE_TTL_MS = 30_000;
const CACHE_MAX = 10_000;
export const INVALID_TOKEN = 'The token is invalid or has expired';
export const JWT_REPLAYED = 'Invalid JWT: this JWT has already been exchanged for an IAM token; sign a new JWT for every exchange';

const REVOKED_TOPIC = 'iam.revoked';


/** A token known valid, under its hash (the key of the cache). */
interface Cached {
  subject: Subject;
  keyId: string;
  expiresAt: number;
  until: number;
}

export class IamTokens implements TokenRevocation {
  private readonly cache = new Map<string, Cached>();
  /** Bumped by every drop: a lookup that raced with a revocation is not cached. */
  private generation = 0;

  constructor(private readonly store: Store, private readonly clock: Clock, feed?: ChangeFeed) {
    feed?.subscribe(REVOKED_TOPIC, (payload) => {
      if (payload !== undefined) return this.drop(JSON.parse(payload) as RevokedTokens);
      this.generation++;
      this.cache.clear();
    });
  }

  /** Checks a service-account JWT and issues a token for it. */
  async exchange(jwtText: string): Promise<{ token: string; expiresAt: Date }> {
    const now = this.clock.now();
    let jwt;
    try {
      jwt = parseJwt(jwtText);
      checkClaims(jwt.payload, now);
    } catch (err) {
      if (err instanceof JwtError) throw new UnauthenticatedError(`Invalid JWT: ${err.message}`);
      throw err;
    }
    const refused = new UnauthenticatedError('Invalid JWT: the signature does not verify with an active key of the issuer');
    const keyId = jwt.header.kid;
    const key = await this.store.read((tx) => tx.iamKeys.get(keyId));
    if (!key || key.serviceAccountId !== jwt.payload.iss || !verifySignature(jwt, createPublicKey(key.publicKey))) throw refused;

    const tokenId = randomBytes(12).toString('base64url');
    const token = `t1.${tokenId}.${randomBytes(64).toString('base64url')}`;
    const expiresAt = new Date(now.getTime() + TOKEN_LIFETIME_MS);
    await this.store.transact(async (tx) => {
      // Re-read inside the transaction: a key deleted meanwhile must not yield a token.
      const [current, account] = [await tx.iamKeys.get(keyId), await tx.serviceAccounts.get(key.serviceAccountId)];
      if (!current || !account) throw refused;
      // Accepted until exp + skew (checkClaims), so remembered that long.
      const usedUntil = new Date((jwt.payload.exp + CLOCK_SKEW_S) * 1000);
      if (!(await tx.iamTokens.rememberJwt(replayKey(jwt), usedUntil))) throw new UnauthenticatedError(JWT_REPLAYED);
      await tx.iamTokens.insert({
        hash: hashSecret(token), tokenId, subjectId: account.id, keyId, createdAt: now, expiresAt,
      });
      await tx.iamKeys.touchUsed(keyId, now);
      await tx.serviceAccounts.touchAuthenticated(account.id, now);
    });
    return { token, expiresAt };
  }

  /** The service account a token belongs to; UNAUTHENTICATED when it is unknown or expired. */
  async authenticate(token: string): Promise<Subject> {
    return this.authenticateHash(hashSecret(token));
  }

  /**
   * The same, for a token already hashed with `hashSecret`: at once from the cache (an expired
   * token is thrown out at once too), else a promise of the store's answer.
   */
  authenticateHash(hash: string): Subject | Promise<Subject> {
    const now = this.clock.now().getTime();
    const hit = this.cache.get(hash);
    if (hit && hit.until > now) {
      if (hit.expiresAt <= now) throw new UnauthenticatedError(INVALID_TOKEN);
      return hit.subject;
    }
    return this.load(hash, now);
  }

  private async load(hash: string, now: number): Promise<Subject> {
    const generation = this.generation;
    const found = await this.store.read(async (tx) => {
      const row = await tx.iamTokens.findByHash(hash);
      const account = row && (await tx.serviceAccounts.get(row.subjectId));
      return row && account ? { row, account } : undefined;
    });
    if (!found || !sameHash(found.row.hash, hash) || found.row.expiresAt.getTime() <= now) {
      throw new UnauthenticatedError(INVALID_TOKEN);
    }
    const subject: Subject = { id: found.account.id, type: 'SERVICE_ACCOUNT', name: found.account.name, tokenId: found.row.tokenId };
    if (generation !== this.generation) return subject; // valid when read; a revocation came meanwhile
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(hash, { subject, keyId: found.row.keyId, expiresAt: found.row.expiresAt.getTime(), until: now + CACHE_TTL_MS });
    return subject;
  }

  /** Every replica, this one included, forgets these tokens when `tx` commits. */
  announce(tx: Repos, by: RevokedTokens): Promise<void> {
    return tx.clusterNotices.publish(REVOKED_TOPIC, JSON.stringify(by));
  }

  private drop(by: RevokedTokens): void {
    this.generation++;
    const keys = new Set(by.keyIds ?? []);
    for (const [hash, c] of this.cache) {
      if (keys.has(c.keyId) || c.subject.id === by.subjectId) this.cache.delete(hash);
    }
  }
}
