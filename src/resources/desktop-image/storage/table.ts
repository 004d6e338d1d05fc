/**
 * Desktop image rows (SQLite and PostgreSQL share them): the table definition, the repository
 * and the migration track.
 */
import { DESKTOP_IMAGE_LIST, type DesktopImage } from '../domain/desktop-image.js';
import type { DesktopImageRepo } from '../domain/repo.js';
import type { SqlExecutor } from '../../../storage/sql/executor.js';
import { SqlRepo } from '../../../storage/sql/sql-repo.js';
import { defineStorage } from '../../../storage/sql/storage-part.js';
import { date, enumeration, integer, json, nullableText, SqlTable, text } from '../../../storage/sql/table.js';

export const DESKTOP_IMAGES = new SqlTable<DesktopImage>(
  'desktop_images',
  {
    id: text('id'),
    folderId: text('folder_id'),
    name: text('name'),
    description: text('description'),
    labels: json('labels'),
    // The proto's enum numbers, so status sorts as the API's enum does.
    status: enumeration('status', { CREATING: 1, ACTIVE: 2, DELETING: 3 }),
    createdAt: date('created_at'),
    storageSize: integer('storage_size'),
    minDiskSize: integer('min_disk_size'),
    blobSha256: nullableText('blob_sha256'),
    sourceId: text('source_id'),
  },
  { list: DESKTOP_IMAGE_LIST, immutable: ['folderId', 'createdAt', 'sourceId'], blobs: ['blobSha256'] },
);

export class SqlDesktopImageRepo extends SqlRepo<DesktopImage> implements DesktopImageRepo {
  constructor(db: SqlExecutor) {
    super(db, DESKTOP_IMAGES);
  }

  async countInFolder(folderId: string): Promise<{ count: number; storageSize: number }> {
    const row = await this.db.get<{ n: number; s: number | null }>(
      'SELECT COUNT(*) AS n, SUM(storage_size) AS s FROM desktop_images WHERE folder_id = ?',
      [folderId],
    );
    return { count: Number(row?.n ?? 0), storageSize: Number(row?.s ?? 0) };
  }
}

export const desktopImageStorage = defineStorage({
  track: 'desktop-image',
  migrations: [
    {
      version: 1,
      name: 'desktop images',
      sql: [
        `CREATE TABLE desktop_images (
          id TEXT PRIMARY KEY,
          folder_id TEXT NOT NULL,
          name TEXT NOT NULL,
          description TEXT NOT NULL,
          labels TEXT NOT NULL,
          status BIGINT NOT NULL,
          created_at BIGINT NOT NULL,
          storage_size BIGINT NOT NULL,
          min_disk_size BIGINT NOT NULL,
          blob_sha256 TEXT,
          source_id TEXT NOT NULL
        )`,
        'CREATE INDEX desktop_images_folder_created ON desktop_images (folder_id, created_at, id)',
        'CREATE INDEX desktop_images_folder_name ON desktop_images (folder_id, name, id)',
        'CREATE INDEX desktop_images_blob ON desktop_images (blob_sha256)',
      ],
    },
  ],
  repos: (db) => ({ desktopImages: new SqlDesktopImageRepo(db) }),
  tables: [DESKTOP_IMAGES],
  cached: { desktopImages: DESKTOP_IMAGES },
});
