/** An IAM token as it is kept: only its hash, never the token itself. */
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

export interface IamTokenRepo {
  insert(token: IssuedToken): Promise<void>;
  findByHash(hash: string): Promise<IssuedToken | undefined>;
  deleteByKey(keyId: string): Promise<number>;
  deleteBySubject(subjectId: string): Promise<number>;
  /** Drops expired tokens and remembered JWTs. */
  purgeExpired(now: Date): Promise<number>;
  /** Remembers an exchanged JWT until `expiresAt`; false when it was already remembered. */
  rememberJwt(key: string, expiresAt: Date): Promise<boolean>;
}

declare module '../../../domain/store.js' {
  interface Repos {
    iamTokens: IamTokenRepo;
  }
}
