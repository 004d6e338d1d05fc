/** Authorized key rows (public halves only), shared by the SQLite and PostgreSQL stores. */
import type { AuthorizedKey, KeyAlgorithm } from '../../domain/iam/identities.js';
import type { Page } from '../store.js';
import type { IamKeyRepo } from '../iam-store.js';
import type { SqlExecutor } from './executor.js';
import { toPage } from './list-query.js';

interface Row {
  id: string;
  service_account_id: string;
  description: string;
  algorithm: string;
  public_key: string;
  created_at: number;
  last_used_at: number | null;
}

function fromRow(r: Row): AuthorizedKey {
  return {
    id: r.id,
    serviceAccountId: r.service_account_id,
    description: r.description,
    algorithm: r.algorithm as KeyAlgorithm,
    publicKey: r.public_key,
    createdAt: new Date(Number(r.created_at)),
    lastUsedAt: r.last_used_at === null ? null : new Date(Number(r.last_used_at)),
  };
}

export class SqlIamKeyRepo implements IamKeyRepo {
  constructor(private readonly db: SqlExecutor) {}

  async get(id: string): Promise<AuthorizedKey | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM iam_keys WHERE id = ?', [id]);
    return row && fromRow(row);
  }

  async listByServiceAccount(serviceAccountId: string, limit: number, after?: unknown[]): Promise<Page<AuthorizedKey>> {
    const rows = after
      ? await this.db.all<Row>(
          `SELECT * FROM iam_keys WHERE service_account_id = ? AND (created_at > ? OR (created_at = ? AND id > ?))
           ORDER BY created_at, id LIMIT ?`,
          [serviceAccountId, Number(after[0]), Number(after[0]), String(after[1]), limit + 1],
        )
      : await this.db.all<Row>('SELECT * FROM iam_keys WHERE service_account_id = ? ORDER BY created_at, id LIMIT ?', [
          serviceAccountId, limit + 1,
        ]);
    return toPage(rows.map(fromRow), limit, (k) => [k.createdAt.getTime(), k.id]);
  }

  async insert(k: AuthorizedKey): Promise<void> {
    await this.db.run(
      `INSERT INTO iam_keys (id, service_account_id, description, algorithm, public_key, created_at, last_used_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [k.id, k.serviceAccountId, k.description, k.algorithm, k.publicKey, k.createdAt.getTime(), k.lastUsedAt?.getTime() ?? null],
    );
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM iam_keys WHERE id = ?', [id])) > 0;
  }

  async deleteByServiceAccount(serviceAccountId: string): Promise<string[]> {
    const ids = (await this.db.all<{ id: string }>('SELECT id FROM iam_keys WHERE service_account_id = ?', [serviceAccountId]))
      .map((r) => r.id);
    await this.db.run('DELETE FROM iam_keys WHERE service_account_id = ?', [serviceAccountId]);
    return ids;
  }

  async touchUsed(id: string, at: Date): Promise<void> {
    await this.db.run('UPDATE iam_keys SET last_used_at = ? WHERE id = ?', [at.getTime(), id]);
  }
}
