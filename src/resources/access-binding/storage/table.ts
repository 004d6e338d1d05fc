/** Folder access binding rows (SQLite and PostgreSQL share them). */
import type { AccessBinding, BindingSubjectType } from '../domain/access-binding.js';
import type { AccessBindingRepo } from '../domain/repo.js';
import type { Page } from '../../../domain/listing/list-query.js';
import type { SqlExecutor } from '../../../storage/sql/executor.js';
import { toPage } from '../../../storage/sql/list-query.js';
import { defineStorage } from '../../../storage/sql/storage-part.js';
import { SqlTable, text, type Column } from '../../../storage/sql/table.js';

export const ACCESS_BINDINGS = new SqlTable<AccessBinding>('access_bindings', {
  folderId: text('folder_id'),
  roleId: text('role_id'),
  subjectType: text('subject_type') as Column<BindingSubjectType>,
  subjectId: text('subject_id'),
}, { key: 'folderId' });

const ORDER = 'ORDER BY role_id, subject_type, subject_id';
const fromRow = (r: Record<string, unknown>) => ACCESS_BINDINGS.fromRow(r);

export class SqlAccessBindingRepo implements AccessBindingRepo {
  constructor(private readonly db: SqlExecutor) {}

  async listByFolder(folderId: string, limit: number, after?: unknown[]): Promise<Page<AccessBinding>> {
    const [r, t, s] = (after ?? []).map(String);
    const rows = after
      ? await this.db.all<Record<string, unknown>>(
          `SELECT * FROM access_bindings WHERE folder_id = ? AND (role_id > ? OR (role_id = ? AND subject_type > ?)
             OR (role_id = ? AND subject_type = ? AND subject_id > ?)) ${ORDER} LIMIT ?`,
          [folderId, r!, r!, t!, r!, t!, s!, limit + 1],
        )
      : await this.db.all<Record<string, unknown>>(`SELECT * FROM access_bindings WHERE folder_id = ? ${ORDER} LIMIT ?`, [folderId, limit + 1]);
    return toPage(rows.map(fromRow), limit, (b) => [b.roleId, b.subjectType, b.subjectId]);
  }

  async allInFolder(folderId: string): Promise<AccessBinding[]> {
    return (await this.db.all<Record<string, unknown>>(`SELECT * FROM access_bindings WHERE folder_id = ? ${ORDER}`, [folderId])).map(fromRow);
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
    return (await this.db.run(`${ACCESS_BINDINGS.insertSql} ON CONFLICT DO NOTHING`, ACCESS_BINDINGS.insertValues(b))) > 0;
  }

  async delete(b: AccessBinding): Promise<boolean> {
    const n = await this.db.run('DELETE FROM access_bindings WHERE folder_id = ? AND role_id = ? AND subject_type = ? AND subject_id = ?', [
      b.folderId, b.roleId, b.subjectType, b.subjectId,
    ]);
    return n > 0;
  }

  async deleteBySubject(subjectId: string): Promise<number> {
    return this.db.run('DELETE FROM access_bindings WHERE subject_id = ?', [subjectId]);
  }
}

export const accessBindingStorage = defineStorage({
  track: 'access-binding',
  migrations: [
    {
      version: 1,
      name: 'folder access bindings',
      sql: [
        `CREATE TABLE access_bindings (
          folder_id TEXT NOT NULL,
          role_id TEXT NOT NULL,
          subject_type TEXT NOT NULL,
          subject_id TEXT NOT NULL,
          PRIMARY KEY (folder_id, role_id, subject_type, subject_id)
        )`,
        'CREATE INDEX access_bindings_folder_subject ON access_bindings (folder_id, subject_id, role_id)',
        'CREATE INDEX access_bindings_subject ON access_bindings (subject_id)',
      ],
    },
  ],
  repos: (db) => ({ accessBindings: new SqlAccessBindingRepo(db) }),
  tables: [ACCESS_BINDINGS],
});
