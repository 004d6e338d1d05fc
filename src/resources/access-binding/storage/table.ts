/**
 * Access binding rows (SQLite and PostgreSQL share them): one table for every kind of resource a
 * role can be bound on, keyed by (resource_type, resource_id).
 */
import type { AccessBinding, BindingScope, BindingSubjectType } from '../domain/access-binding.js';
import type { AccessBindingRepo } from '../domain/repo.js';
import type { Page } from '../../../domain/listing/list-query.js';
import type { SqlExecutor, SqlValue } from '../../../storage/sql/executor.js';
import { toPage } from '../../../storage/sql/list-query.js';
import { defineStorage } from '../../../storage/sql/storage-part.js';
import { SqlTable, text, type Column } from '../../../storage/sql/table.js';

export const ACCESS_BINDINGS = new SqlTable<AccessBinding>('resource_access_bindings', {
  resourceType: text('resource_type'),
  resourceId: text('resource_id'),
  roleId: text('role_id'),
  subjectType: text('subject_type') as Column<BindingSubjectType>,
  subjectId: text('subject_id'),
}, { key: 'resourceId' });

const ORDER = 'ORDER BY role_id, subject_type, subject_id';
const ON = 'resource_type = ? AND resource_id = ?';
const fromRow = (r: Record<string, unknown>) => ACCESS_BINDINGS.fromRow(r);

export class SqlAccessBindingRepo implements AccessBindingRepo {
  constructor(private readonly db: SqlExecutor) {}

  async listOn(scope: BindingScope, limit: number, after?: unknown[]): Promise<Page<AccessBinding>> {
    const [r, t, s] = (after ?? []).map(String);
    const rows = after
      ? await this.db.all<Record<string, unknown>>(
          `SELECT * FROM resource_access_bindings WHERE ${ON} AND (role_id > ? OR (role_id = ? AND subject_type > ?)
             OR (role_id = ? AND subject_type = ? AND subject_id > ?)) ${ORDER} LIMIT ?`,
          [scope.type, scope.id, r!, r!, t!, r!, t!, s!, limit + 1],
        )
      : await this.db.all<Record<string, unknown>>(`SELECT * FROM resource_access_bindings WHERE ${ON} ${ORDER} LIMIT ?`, [
          scope.type, scope.id, limit + 1,
        ]);
    return toPage(rows.map(fromRow), limit, (b) => [b.roleId, b.subjectType, b.subjectId]);
  }

  async allOn(scope: BindingScope): Promise<AccessBinding[]> {
    return (await this.db.all<Record<string, unknown>>(`SELECT * FROM resource_access_bindings WHERE ${ON} ${ORDER}`, [scope.type, scope.id])).map(fromRow);
  }

  async rolesOf(scopes: readonly BindingScope[], subjectIds: readonly string[]): Promise<string[]> {
    if (scopes.length === 0 || subjectIds.length === 0) return [];
    const params: SqlValue[] = [];
    const where = scopes.map((s) => (params.push(s.type, s.id), `(${ON})`)).join(' OR ');
    params.push(...subjectIds);
    const rows = await this.db.all<{ role_id: string }>(
      `SELECT DISTINCT role_id FROM resource_access_bindings WHERE (${where}) AND subject_id IN (${subjectIds.map(() => '?').join(', ')})`,
      params,
    );
    return rows.map((r) => r.role_id);
  }

  async insert(b: AccessBinding): Promise<boolean> {
    return (await this.db.run(`${ACCESS_BINDINGS.insertSql} ON CONFLICT DO NOTHING`, ACCESS_BINDINGS.insertValues(b))) > 0;
  }

  async delete(b: AccessBinding): Promise<boolean> {
    const n = await this.db.run(`DELETE FROM resource_access_bindings WHERE ${ON} AND role_id = ? AND subject_type = ? AND subject_id = ?`, [
      b.resourceType, b.resourceId, b.roleId, b.subjectType, b.subjectId,
    ]);
    return n > 0;
  }

  deleteBySubject(subjectId: string): Promise<number> {
    return this.db.run('DELETE FROM resource_access_bindings WHERE subject_id = ?', [subjectId]);
  }

  deleteOn(scope: BindingScope): Promise<number> {
    return this.db.run(`DELETE FROM resource_access_bindings WHERE ${ON}`, [scope.type, scope.id]);
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
    {
      version: 2,
      name: 'bindings on any resource: folders and desktop groups',
      sql: [
        `CREATE TABLE resource_access_bindings (
          resource_type TEXT NOT NULL,
          resource_id TEXT NOT NULL,
          role_id TEXT NOT NULL,
          subject_type TEXT NOT NULL,
          subject_id TEXT NOT NULL,
          PRIMARY KEY (resource_type, resource_id, role_id, subject_type, subject_id)
        )`,
        `INSERT INTO resource_access_bindings (resource_type, resource_id, role_id, subject_type, subject_id)
          SELECT 'folder', folder_id, role_id, subject_type, subject_id FROM access_bindings`,
        'DROP TABLE access_bindings',
        'CREATE INDEX resource_access_bindings_subject_on ON resource_access_bindings (resource_type, resource_id, subject_id, role_id)',
        'CREATE INDEX resource_access_bindings_subject ON resource_access_bindings (subject_id)',
      ],
    },
  ],
  repos: (db) => ({ accessBindings: new SqlAccessBindingRepo(db) }),
  tables: [ACCESS_BINDINGS],
});
