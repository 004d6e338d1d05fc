/** Service account rows (SQLite and PostgreSQL share them): table, repository, migrations. */
import { SERVICE_ACCOUNT_LIST, type ServiceAccount } from '../domain/service-account.js';
import type { ServiceAccountRepo } from '../domain/repo.js';
import type { SqlExecutor } from '../../../storage/sql/executor.js';
import { SqlRepo } from '../../../storage/sql/sql-repo.js';
import { defineStorage } from '../../../storage/sql/storage-part.js';
import { date, json, nullableDate, SqlTable, text } from '../../../storage/sql/table.js';

export const SERVICE_ACCOUNTS = new SqlTable<ServiceAccount>(
  'service_accounts',
  {
    id: text('id'),
    folderId: text('folder_id'),
    name: text('name'),
    description: text('description'),
    labels: json('labels'),
    createdAt: date('created_at'),
    lastAuthenticatedAt: nullableDate('last_authenticated_at'),
  },
  { list: SERVICE_ACCOUNT_LIST, immutable: ['folderId', 'createdAt'] },
);

export class SqlServiceAccountRepo extends SqlRepo<ServiceAccount> implements ServiceAccountRepo {
  constructor(db: SqlExecutor) {
    super(db, SERVICE_ACCOUNTS);
  }

  findByName(folderId: string, name: string): Promise<ServiceAccount | undefined> {
    return this.findInFolder(folderId, 'name', name);
  }

  async touchAuthenticated(id: string, at: Date): Promise<void> {
    await this.db.run('UPDATE service_accounts SET last_authenticated_at = ? WHERE id = ?', [at.getTime(), id]);
  }
}

export const serviceAccountStorage = defineStorage({
  track: 'service-account',
  migrations: [
    {
      version: 1,
      name: 'service accounts',
      sql: [
        `CREATE TABLE service_accounts (
          id TEXT PRIMARY KEY,
          folder_id TEXT NOT NULL,
          name TEXT NOT NULL,
          description TEXT NOT NULL,
          labels TEXT NOT NULL,
          created_at BIGINT NOT NULL,
          last_authenticated_at BIGINT
        )`,
        'CREATE UNIQUE INDEX service_accounts_folder_name ON service_accounts (folder_id, name)',
        'CREATE INDEX service_accounts_folder_created ON service_accounts (folder_id, created_at, id)',
      ],
    },
  ],
  repos: (db) => ({ serviceAccounts: new SqlServiceAccountRepo(db) }),
  tables: [SERVICE_ACCOUNTS],
});
