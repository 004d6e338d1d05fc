/** Authorized key rows, public halves only (SQLite and PostgreSQL share them). */
import type { AuthorizedKey } from '../domain/key.js';
import type { IamKeyRepo } from '../domain/repo.js';
import type { Page } from '../../../domain/listing/list-query.js';
import type { SqlExecutor } from '../../../storage/sql/executor.js';
import { toPage } from '../../../storage/sql/list-query.js';
import { SqlRepo } from '../../../storage/sql/sql-repo.js';
import { defineStorage } from '../../../storage/sql/storage-part.js';
import { date, nullableDate, SqlTable, text, type Column } from '../../../storage/sql/table.js';

export const IAM_KEYS = new SqlTable<AuthorizedKey>(
  'iam_keys',
  {
    id: text('id'),
    serviceAccountId: text('service_account_id'),
    description: text('description'),
    algorithm: text('algorithm') as Column<AuthorizedKey['algorithm']>,
    publicKey: text('public_key'),
    createdAt: date('created_at'),
    lastUsedAt: nullableDate('last_used_at'),
  },
  { immutable: ['serviceAccountId', 'algorithm', 'publicKey', 'createdAt'] },
);

export class SqlIamKeyRepo extends SqlRepo<AuthorizedKey> implements IamKeyRepo {
  constructor(db: SqlExecutor) {
    super(db, IAM_KEYS);
  }

  async listByServiceAccount(serviceAccountId: string, limit: number, after?: unknown[]): Promise<Page<AuthorizedKey>> {
    const rows = after
      ? await this.db.all<Record<string, unknown>>(
          `SELECT * FROM iam_keys WHERE service_account_id = ? AND (created_at > ? OR (created_at = ? AND id > ?))
           ORDER BY created_at, id LIMIT ?`,
          [serviceAccountId, Number(after[0]), Number(after[0]), String(after[1]), limit + 1],
        )
      : await this.db.all<Record<string, unknown>>('SELECT * FROM iam_keys WHERE service_account_id = ? ORDER BY created_at, id LIMIT ?', [
          serviceAccountId, limit + 1,
        ]);
    return toPage(rows.map((r) => IAM_KEYS.fromRow(r)), limit, (k) => [k.createdAt.getTime(), k.id]);
  }

  async deleteByServiceAccount(serviceAccountId: string): Promise<string[]> {
    const ids = (await this.db.all<{ id: string }>('SELECT id FROM iam_keys WHERE service_account_id = ?', [serviceAccountId])).map((r) => r.id);
    await this.db.run('DELETE FROM iam_keys WHERE service_account_id = ?', [serviceAccountId]);
    return ids;
  }

  async touchUsed(id: string, at: Date): Promise<void> {
    await this.db.run('UPDATE iam_keys SET last_used_at = ? WHERE id = ?', [at.getTime(), id]);
  }
}

export const keyStorage = defineStorage({
  track: 'key',
  migrations: [
    {
      version: 1,
      name: 'authorized keys',
      sql: [
        `CREATE TABLE iam_keys (
          id TEXT PRIMARY KEY,
          service_account_id TEXT NOT NULL,
          description TEXT NOT NULL,
          algorithm TEXT NOT NULL,
          public_key TEXT NOT NULL,
          created_at BIGINT NOT NULL,
          last_used_at BIGINT
        )`,
        'CREATE INDEX iam_keys_account ON iam_keys (service_account_id, created_at, id)',
      ],
    },
  ],
  repos: (db) => ({ iamKeys: new SqlIamKeyRepo(db) }),
  tables: [IAM_KEYS],
});
