/**
 * Issued IAM tokens, kept only as SHA-256 hashes (the primary key), shared by the SQLite and
 * PostgreSQL stores. A lookup by hash reveals nothing about the token to a timing observer.
 */
import type { IssuedToken } from '../../domain/iam/identities.js';
import type { IamTokenRepo } from '../iam-store.js';
import type { SqlExecutor } from './executor.js';

interface Row {
  token_hash: string;
  token_id: string;
  subject_id: string;
  key_id: string;
  created_at: number;
  expires_at: number;
}

export class SqlIamTokenRepo implements IamTokenRepo {
  constructor(private readonly db: SqlExecutor) {}

  async insert(t: IssuedToken): Promise<void> {
    await this.db.run(
      'INSERT INTO iam_tokens (token_hash, token_id, subject_id, key_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      [t.hash, t.tokenId, t.subjectId, t.keyId, t.createdAt.getTime(), t.expiresAt.getTime()],
    );
  }

  async findByHash(hash: string): Promise<IssuedToken | undefined> {
    const r = await this.db.get<Row>('SELECT * FROM iam_tokens WHERE token_hash = ?', [hash]);
    return r && {
      hash: r.token_hash,
      tokenId: r.token_id,
      subjectId: r.subject_id,
      keyId: r.key_id,
      createdAt: new Date(Number(r.created_at)),
      expiresAt: new Date(Number(r.expires_at)),
    };
  }

  async deleteByKey(keyId: string): Promise<number> {
    return this.db.run('DELETE FROM iam_tokens WHERE key_id = ?', [keyId]);
  }

  async deleteBySubject(subjectId: string): Promise<number> {
    return this.db.run('DELETE FROM iam_tokens WHERE subject_id = ?', [subjectId]);
  }

  async purgeExpired(now: Date): Promise<number> {
    return this.db.run('DELETE FROM iam_tokens WHERE expires_at <= ?', [now.getTime()]);
  }
}
