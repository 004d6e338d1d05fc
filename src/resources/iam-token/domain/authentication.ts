/**
 * Turns a presented bearer token into the Subject of the call: the bootstrap credential
 * (docs/decisions.md point 6: one secret that is admin everywhere, so that an operator can create
 * the first service accounts and grants), or the service account of an IAM token. Only hashes
 * of secrets are held, and both checks compare them in constant time.
 *
 *   const authentication = new Authentication(new BootstrapCredential(secret), tokens);
 *   const subject = await authentication.subjectOf(token);   // UnauthenticatedError: thrown or rejected
 */
import type { Subject } from '../../../domain/iam/subject.js';
import { INVALID_TOKEN, type IamTokens } from './tokens.js';
import { hashSecret, sameHash } from '../../../domain/iam/secret-hash.js';
import { UnauthenticatedError } from '../../../domain/errors.js';

export const BOOTSTRAP_SUBJECT: Subject = Object.freeze({ id: 'bootstrap', type: 'BOOTSTRAP', name: 'bootstrap' });

/** Longer than any token we issue or accept; refused before hashing. */
const MAX_TOKEN_LENGTH = 4096;

export class BootstrapCredential {
  private readonly hash: string;

  constructor(secret: string) {
    this.hash = hashSecret(secret);
  }

  matches(token: string): boolean {
    return this.matchesHash(hashSecret(token));
  }

  /** The same, for a token already hashed with `hashSecret`. */
  matchesHash(hash: string): boolean {
    return sameHash(hash, this.hash);
  }
}

export class Authentication {
  constructor(private readonly bootstrap: BootstrapCredential, private readonly tokens: IamTokens) {}

  /**
   * The Subject at once when no store read is needed (the bootstrap credential, a cached IAM
   * token), else its promise; a refusal is thrown or rejected likewise. Every call pays for the
   * promises it makes, so the common case makes none (bench/RESULTS.md, ninth session).
   */
  subjectOf(token: string): Subject | Promise<Subject> {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw new UnauthenticatedError(INVALID_TOKEN);
    const hash = hashSecret(token); // once per call: the bootstrap check and the token lookup share it
    if (this.bootstrap.matchesHash(hash)) return BOOTSTRAP_SUBJECT;
    return this.tokens.authenticateHash(hash);
  }
}
