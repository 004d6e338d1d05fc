/**
 * Desktop rows (SQLite and PostgreSQL share them). Who a desktop belongs to is also kept in a
 * side table of (desktop, subject), so "only my desktops" is an indexed condition in both
 * dialects; the repository keeps the two in step.
 */
import { DESKTOP_LIST, type Desktop } from '../domain/desktop.js';
import type { DesktopRepo } from '../domain/repo.js';
import type { ListQuery, Page } from '../../../domain/listing/list-query.js';
import type { SqlExecutor } from '../../../storage/sql/executor.js';
import { SqlRepo } from '../../../storage/sql/sql-repo.js';
import { date, enumeration, json, nullableText, SqlTable, text } from '../../../storage/sql/table.js';

export const DESKTOP_STATUS = {
  CREATING: 1, ACTIVE: 2, DELETING: 3, RESTARTING: 4, UPDATING: 5, STARTING: 6, STOPPING: 7, STOPPED: 8,
  ERROR: 9, CREATION_FAILED: 10, HEALTH_CHECK: 11,
} as const;

export const DESKTOPS = new SqlTable<Desktop>(
  'desktops',
  {
    id: text('id'),
    folderId: text('folder_id'),
    desktopGroupId: text('desktop_group_id'),
    createdAt: date('created_at'),
    status: enumeration('status', DESKTOP_STATUS),
    name: text('name'),
    description: text('description'),
    labels: json('labels'),
    resources: json('resources'),
    networkInterfaces: json('network_interfaces'),
    users: json('users'),
    imageId: text('image_id'),
    lockedBy: nullableText('locked_by'),
  },
  {
    list: DESKTOP_LIST,
    immutable: ['folderId', 'desktopGroupId', 'createdAt'],
    owners: { table: 'desktop_users', key: 'desktop_id', subject: 'subject_id' },
  },
);

export class SqlDesktopRepo extends SqlRepo<Desktop> implements DesktopRepo {
  constructor(db: SqlExecutor) {
    super(db, DESKTOPS);
  }

  listInGroup(groupId: string, q: ListQuery): Promise<Page<Desktop>> {
    return this.list({ ...q, folderId: groupId, parentProperty: 'desktopGroupId' });
  }

  async allInGroup(groupId: string): Promise<Desktop[]> {
    const rows = await this.db.all<Record<string, unknown>>('SELECT * FROM desktops WHERE desktop_group_id = ? ORDER BY created_at, id', [groupId]);
    return rows.map((r) => DESKTOPS.fromRow(r));
  }

  async allWithStatus(status: Desktop['status']): Promise<Desktop[]> {
    const rows = await this.db.all<Record<string, unknown>>('SELECT * FROM desktops WHERE status = ? ORDER BY created_at, id', [DESKTOP_STATUS[status]]);
    return rows.map((r) => DESKTOPS.fromRow(r));
  }

  countInGroup(groupId: string): Promise<number> {
    return this.count('SELECT COUNT(*) AS n FROM desktops WHERE desktop_group_id = ?', [groupId]);
  }

  async allInFolder(folderId: string): Promise<Desktop[]> {
    const rows = await this.db.all<Record<string, unknown>>('SELECT * FROM desktops WHERE folder_id = ? ORDER BY created_at, id', [folderId]);
    return rows.map((r) => DESKTOPS.fromRow(r));
  }

  countInFolder(folderId: string): Promise<number> {
    return this.count('SELECT COUNT(*) AS n FROM desktops WHERE folder_id = ?', [folderId]);
  }

  async findStandby(groupId: string): Promise<Desktop | undefined> {
    const row = await this.db.get<Record<string, unknown>>(
      `SELECT * FROM desktops WHERE desktop_group_id = ? AND status = ? AND users = '[]' AND locked_by IS NULL ORDER BY created_at, id LIMIT 1`,
      [groupId, DESKTOP_STATUS.ACTIVE],
    );
    return row && DESKTOPS.fromRow(row);
  }

  countStandby(groupId: string): Promise<number> {
    return this.count(`SELECT COUNT(*) AS n FROM desktops WHERE desktop_group_id = ? AND users = '[]' AND status IN (?, ?)`, [
      groupId, DESKTOP_STATUS.CREATING, DESKTOP_STATUS.ACTIVE,
    ]);
  }

  override async insert(d: Desktop): Promise<void> {
    await super.insert(d);
    await this.syncUsers(d);
  }

  override async update(d: Desktop): Promise<boolean> {
    const changed = await super.update(d);
    if (changed) await this.syncUsers(d);
    return changed;
  }

  override async delete(id: string): Promise<boolean> {
    await this.db.run('DELETE FROM desktop_users WHERE desktop_id = ?', [id]);
    return super.delete(id);
  }

  private async syncUsers(d: Desktop): Promise<void> {
    await this.db.run('DELETE FROM desktop_users WHERE desktop_id = ?', [d.id]);
    for (const u of new Set(d.users.map((x) => x.subjectId))) {
      await this.db.run('INSERT INTO desktop_users (desktop_id, subject_id) VALUES (?, ?)', [d.id, u]);
    }
  }

  private async count(sql: string, params: (string | number)[]): Promise<number> {
    return Number((await this.db.get<{ n: number }>(sql, params))?.n ?? 0);
  }
}
