/** Desktop group rows (SQLite and PostgreSQL share them): table, repository, migrations. */
import { DESKTOP_GROUP_LIST, type DesktopGroup } from '../domain/desktop-group.js';
import type { DesktopGroupRepo } from '../domain/repo.js';
import type { SqlExecutor } from '../../../storage/sql/executor.js';
import { SqlRepo } from '../../../storage/sql/sql-repo.js';
import { defineStorage } from '../../../storage/sql/storage-part.js';
import { date, enumeration, json, SqlTable, text, type Column } from '../../../storage/sql/table.js';

export const DESKTOP_GROUPS = new SqlTable<DesktopGroup>(
  'desktop_groups',
  {
    id: text('id'),
    folderId: text('folder_id'),
    createdAt: date('created_at'),
    status: enumeration('status', { CREATING: 1, ACTIVE: 2, DELETING: 3, UPDATING: 4 }),
    name: text('name'),
    description: text('description'),
    labels: json('labels'),
    desktopImageId: text('desktop_image_id'),
    resources: json('resources'),
    network: json('network'),
    bootDisk: json('boot_disk'),
    dataDisk: json('data_disk'),
    config: json('config'),
    updatePolicy: text('update_policy') as Column<DesktopGroup['updatePolicy']>,
  },
  { list: DESKTOP_GROUP_LIST, immutable: ['folderId', 'createdAt'] },
);

export class SqlDesktopGroupRepo extends SqlRepo<DesktopGroup> implements DesktopGroupRepo {
  constructor(db: SqlExecutor) {
    super(db, DESKTOP_GROUPS);
  }

  findByName(folderId: string, name: string): Promise<DesktopGroup | undefined> {
    return this.findInFolder(folderId, 'name', name);
  }

  async findUsingImage(imageId: string): Promise<DesktopGroup | undefined> {
    const row = await this.db.get<Record<string, unknown>>('SELECT * FROM desktop_groups WHERE desktop_image_id = ? ORDER BY created_at, id LIMIT 1', [imageId]);
    return row && DESKTOP_GROUPS.fromRow(row);
  }

  async listScheduled(): Promise<DesktopGroup[]> {
    // Few groups carry a schedule; the JSON is read here rather than indexed.
    const rows = await this.db.all<Record<string, unknown>>("SELECT * FROM desktop_groups WHERE config LIKE '%\"lifetime\":{%'");
    return rows.map((r) => DESKTOP_GROUPS.fromRow(r)).filter((g) => g.config.lifetime);
  }

  async countInFolder(folderId: string): Promise<number> {
    const row = await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM desktop_groups WHERE folder_id = ?', [folderId]);
    return Number(row?.n ?? 0);
  }
}

export const desktopGroupStorage = defineStorage({
  track: 'desktop-group',
  migrations: [
    {
      version: 1,
      name: 'desktop groups',
      sql: [
        `CREATE TABLE desktop_groups (
          id TEXT PRIMARY KEY,
          folder_id TEXT NOT NULL,
          created_at BIGINT NOT NULL,
          status BIGINT NOT NULL,
          name TEXT NOT NULL,
          description TEXT NOT NULL,
          labels TEXT NOT NULL,
          desktop_image_id TEXT NOT NULL,
          resources TEXT NOT NULL,
          network TEXT,
          boot_disk TEXT NOT NULL,
          data_disk TEXT,
          config TEXT NOT NULL,
          update_policy TEXT NOT NULL
        )`,
        "CREATE UNIQUE INDEX desktop_groups_folder_name ON desktop_groups (folder_id, name) WHERE name <> ''",
        'CREATE INDEX desktop_groups_folder_created ON desktop_groups (folder_id, created_at, id)',
        'CREATE INDEX desktop_groups_image ON desktop_groups (desktop_image_id)',
      ],
    },
  ],
  repos: (db) => ({ desktopGroups: new SqlDesktopGroupRepo(db) }),
  tables: [DESKTOP_GROUPS],
});
