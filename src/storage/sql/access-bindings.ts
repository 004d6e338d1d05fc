/** Folder access bindings, shared by the SQLite and PostgreSQL stores. */
import type { AccessBinding, BindingSubjectType } from '../../domain/iam/identities.js';
import type { Page } from '../store.js';
import type { AccessBindingRepo } from '../iam-store.js';
import type { SqlExecutor } from './executor.js';
import { toPage } from './list-query.js';

interface Row {
  folder_id: string;
  role_id: string;
  subject_type: string;
  subject_id: string;
}

function fromRow(r: Row): AccessBinding {
  return { folderId: r.folder_id, roleId: r.role_id, subjectType: r.subject_type as BindingSubjectType, subjectId: r.subject_id };
}

const ORDER = 'ORDER BY role_id, subject_type, subject_id';

export class SqlAccessBindingRepo implements AccessBindingRepo {
  constructor(private readonly db: SqlExecutor) {}

  async listByFolder(folderId: string, limit: number, after?: unknown[]): Promise<Page<AccessBinding>> {
    const [r, t, s] = (after ?? []).map(String);
    const rows = after
      ? await this.db.all<Row>(
          `SELECT * FROM access_bindings WHERE folder_id = ? AND (role_id > ? OR (role_id = ? AND subject_type > ?)
             OR (role_id = ? AND subject_type = ? AND subject_id > ?)) ${ORDER} LIMIT ?`,
          [folderId, r!, r!, t!, r!, t!, s!, limit + 1],
        )
      : await this.db.all<Row>(`SELECT * FROM access_bindings WHERE folder_id = ? ${ORDER} LIMIT ?`, [folderId, limit + 1]);
    return toPage(rows.map(fromRow), limit, (b) => [b.roleId, b.subjectType, b.subjectId]);
  }

  async allInFolder(folderId: string): Promise<AccessBinding[]> {
    return (await this.db.all<Row>(`SELECT * FROM access_bindings WHERE folder_id = ? ${ORDER}`, [folderId])).map(fromRow);
  }

  async rolesOf(folderId: string, subjectIds: string[]): Promise<string[]> {
    if (subjectIds.length === 0) return [];
    const rows = await this.db.all<{ role_id: string }>(
      `SELECT DISTINCT role_id FROM access_bindings WHERE folder_id = ? AND subject_id IN (${subjectIds.map(() => '?').join(', ')})`,
      [folderId, ...subjectIds],
    );
    return rows.map((r) => r.role_id);
  }

  async insert(b: AccessBinding): Promise<boolean> {
    const n = await this.db.run(
      `INSERT INTO access_bindings (folder_id, role_id, subject_type, subject_id) VALUES (?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
      [b.folderId, b.roleId, b.subjectType, b.subjectId],
    );
    return n > 0;
  }

  async delete(b: AccessBinding): Promise<boolean> {
    const n = await this.db.run(
      'DELETE FROM access_bindings WHERE folder_id = ? AND role_id = ? AND subject_type = ? AND subject_id = ?',
      [b.folderId, b.roleId, b.subjectType, b.subjectId],
    );
    return n > 0;
  }

  async deleteBySubject(subjectId: string): Promise<number> {
    return this.db.run('DELETE FROM access_bindings WHERE subject_id = ?', [subjectId]);
  }
}
