/**
 * Issued IAM tokens, kept only as SHA-256 hashes (the primary key); SQLite and PostgreSQL share
 * them. A lookup by hash reveals nothing about the token to a timing observer. Exchanged JWTs are
 * remembered (by a hash of `jti` or of the JWT) until they expire, so none is exchanged twice.
 */
import type { IamTokenRepo, IssuedToken } from '../domain/issued-token.js';
import type { SqlExecutor } from '../../../storage/sql/executor.js';
import { defineStorage } from '../../../storage/sql/storage-part.js';
import { date, SqlTable, text } from '../../../storage/sql/table.js';

export const IAM_TOKENS = new SqlTable<IssuedToken>(
  'iam_tokens',
  {
    hash: text('token_hash'),
    tokenId: text('token_id'),
    subjectId: text('subject_id'),
    keyId: text('key_id'),
    createdAt: date('created_at'),
    expiresAt: date('expires_at'),
  },
  { key: 'hash' },
);

export class SqlIamTokenRepo implements IamTokenRepo {
  constructor(private readonly db: SqlExecutor) {}

  async insert(t: IssuedToken): Promise<void> {
    await this.db.run(IAM_TOKENS.insertSql, IAM_TOKENS.insertValues(t));
  }

  async findByHash(hash: string): Promise<IssuedToken | undefined> {
    const row = await this.db.get<Record<string, unknown>>('SELECT * FROM iam_tokens WHERE token_hash = ?', [hash]);
    return row && IAM_TOKENS.fromRow(row);
  }

  deleteByKey(keyId: string): Promise<number> {
    return this.db.run('DELETE FROM iam_tokens WHERE key_id = ?', [keyId]);
  }

  deleteBySubject(subjectId: string): Promise<number> {
    return this.db.run('DELETE FROM iam_tokens WHERE subject_id = ?', [subjectId]);
  }

  async purgeExpired(now: Date): Promise<number> {
    const tokens = await this.db.run('DELETE FROM iam_tokens WHERE expires_at <= ?', [now.getTime()]);
    return tokens + (await this.db.run('DELETE FROM iam_used_jwts WHERE expires_at <= ?', [now.getTime()]));
  }
  async rememberJwt(key: string, expiresAt: Date): Promise<boolean> {
    const added = await this.db.run(
      'INSERT INTO iam_used_jwts (jwt_key, expires_at) VALUES (?, ?) ON CONFLICT (jwt_key) DO NOTHING', [key, expiresAt.getTime()],
    );
    return added === 1;
  }
}

export const iamTokenStorage = defineStorage({
  track: 'iam-token',
  migrations: [
    {
      version: 1,
      name: 'iam tokens',
      sql: [
        `CREATE TABLE iam_tokens (
          token_hash TEXT PRIMARY KEY,
          token_id TEXT NOT NULL,
          subject_id TEXT NOT NULL,
          key_id TEXT NOT NULL,
          created_at BIGINT NOT NULL,
          expires_at BIGINT NOT NULL
        )`,
        'CREATE INDEX iam_tokens_key ON iam_tokens (key_id)',
        'CREATE INDEX iam_tokens_subject ON iam_tokens (subject_id)',
        'CREATE INDEX iam_tokens_expiry ON iam_tokens (expires_at)',
      ],
    },
    {
      // A JWT is exchanged at most once: its `jti` (or a hash of it) is kept until it expires.
      version: 2,
      name: 'used service account JWTs',
      sql: [
        'CREATE TABLE iam_used_jwts (jwt_key TEXT PRIMARY KEY, expires_at BIGINT NOT NULL)',
        'CREATE INDEX iam_used_jwts_expiry ON iam_used_jwts (expires_at)',
      ],
    },
  ],
  repos: (db) => ({ iamTokens: new SqlIamTokenRepo(db) }),
  tables: [IAM_TOKENS],
});
