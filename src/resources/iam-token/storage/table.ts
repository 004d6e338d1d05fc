/**
 * Issued IAM tokens, kept only as SHA-256 hashes (the primary key); SQLite and PostgreSQL share
 * them. A lookup by hash reveals nothing about the token to a timing observer.
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

  purgeExpired(now: Date): Promise<number> {
    return this.db.run('DELETE FROM iam_tokens WHERE expires_at <= ?', [now.getTime()]);
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
  ],
  repos: (db) => ({ iamTokens: new SqlIamTokenRepo(db) }),
  tables: [IAM_TOKENS],
});
