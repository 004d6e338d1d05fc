/** Service account rows, shared by the SQLite and PostgreSQL stores. */
import type { ServiceAccount } from '../../domain/iam/identities.js';
import type { ListQuery, Page } from '../store.js';
import type { ServiceAccountRepo } from '../iam-store.js';
import type { SqlExecutor } from './executor.js';
import { queryPage, type ListFields } from './list-query.js';

interface Row {
  id: string;
  folder_id: string;
  name: string;
  description: string;
  labels: string;
  created_at: number;
  last_authenticated_at: number | null;
}

function fromRow(r: Row): ServiceAccount {
  return {
    id: r.id,
    folderId: r.folder_id,
    name: r.name,
    description: r.description,
    labels: JSON.parse(r.labels) as Record<string, string>,
    createdAt: new Date(Number(r.created_at)),
    lastAuthenticatedAt: r.last_authenticated_at === null ? null : new Date(Number(r.last_authenticated_at)),
  };
}

const SERVICE_ACCOUNT_FIELDS: ListFields<ServiceAccount> = {
  name: { column: 'name', key: (a) => a.name },
  created_at: { column: 'created_at', key: (a) => a.createdAt.getTime() },
  id: { column: 'id', key: (a) => a.id },
};

export class SqlServiceAccountRepo implements ServiceAccountRepo {
  constructor(private readonly db: SqlExecutor) {}

  async get(id: string): Promise<ServiceAccount | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM service_accounts WHERE id = ?', [id]);
    return row && fromRow(row);
  }

  async findByName(folderId: string, name: string): Promise<ServiceAccount | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM service_accounts WHERE folder_id = ? AND name = ?', [folderId, name]);
    return row && fromRow(row);
  }

  async list(q: ListQuery): Promise<Page<ServiceAccount>> {
    return queryPage(this.db, 'service_accounts', SERVICE_ACCOUNT_FIELDS, q, fromRow);
  }

  async insert(a: ServiceAccount): Promise<void> {
    await this.db.run(
      `INSERT INTO service_accounts (id, folder_id, name, description, labels, created_at, last_authenticated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [a.id, a.folderId, a.name, a.description, JSON.stringify(a.labels), a.createdAt.getTime(), a.lastAuthenticatedAt?.getTime() ?? null],
    );
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM service_accounts WHERE id = ?', [id])) > 0;
  }

  async touchAuthenticated(id: string, at: Date): Promise<void> {
    await this.db.run('UPDATE service_accounts SET last_authenticated_at = ? WHERE id = ?', [at.getTime(), id]);
  }
}
