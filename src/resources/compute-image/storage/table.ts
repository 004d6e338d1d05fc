/**
 * Compute image rows (SQLite and PostgreSQL share them): the table definition, the repository
 * and the migration track.
 */
import { COMPUTE_IMAGE_LIST, type ComputeImage } from '../domain/compute-image.js';
import type { ComputeImageRepo } from '../domain/repo.js';
import type { SqlExecutor } from '../../../storage/sql/executor.js';
import { SqlRepo } from '../../../storage/sql/sql-repo.js';
import { defineStorage } from '../../../storage/sql/storage-part.js';
import { bool, date, enumeration, integer, json, nullableText, SqlTable, text } from '../../../storage/sql/table.js';

const STATUS = { CREATING: 1, READY: 2, ERROR: 3, DELETING: 4 } as const;

export const COMPUTE_IMAGES = new SqlTable<ComputeImage>(
  'compute_images',
  {
    id: text('id'),
    folderId: text('folder_id'),
    name: text('name'),
    description: text('description'),
    labels: json('labels'),
    family: text('family'),
    status: enumeration('status', STATUS),
    createdAt: date('created_at'),
    storageSize: integer('storage_size'),
    minDiskSize: integer('min_disk_size'),
    productIds: json('product_ids'),
    os: json('os'),
    pooled: bool('pooled'),
    hardwareGeneration: json('hardware_generation'),
    blobSha256: nullableText('blob_sha256'),
    source: text('source'),
  },
  {
    list: COMPUTE_IMAGE_LIST,
    immutable: ['folderId', 'createdAt', 'productIds', 'os', 'pooled', 'hardwareGeneration', 'source'],
    blobs: ['blobSha256'],
  },
);

export class SqlComputeImageRepo extends SqlRepo<ComputeImage> implements ComputeImageRepo {
  constructor(db: SqlExecutor) {
    super(db, COMPUTE_IMAGES);
  }

  findByName(folderId: string, name: string): Promise<ComputeImage | undefined> {
    return this.findInFolder(folderId, 'name', name);
  }

  async countInFolder(folderId: string, excludeId = ''): Promise<{ count: number; storageSize: number }> {
    const row = await this.db.get<{ n: number; s: number | null }>(
      'SELECT COUNT(*) AS n, SUM(storage_size) AS s FROM compute_images WHERE folder_id = ? AND id <> ?',
      [folderId, excludeId],
    );
    return { count: Number(row?.n ?? 0), storageSize: Number(row?.s ?? 0) };
  }

  async countImports(): Promise<number> {
    const row = await this.db.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM compute_images WHERE status = ? AND source LIKE 'uri:%'",
      [STATUS.CREATING],
    );
    return Number(row?.n ?? 0);
  }

  async latestByFamily(folderId: string, family: string): Promise<ComputeImage | undefined> {
    const row = await this.db.get<Record<string, unknown>>(
      `SELECT * FROM compute_images WHERE folder_id = ? AND family = ? AND status = ?
       ORDER BY created_at DESC, id DESC LIMIT 1`,
      [folderId, family, STATUS.READY],
    );
    return row && COMPUTE_IMAGES.fromRow(row);
  }
}

export const computeImageStorage = defineStorage({
  track: 'compute-image',
  migrations: [
    {
      version: 1,
      name: 'compute images',
      sql: [
        `CREATE TABLE compute_images (
          id TEXT PRIMARY KEY,
          folder_id TEXT NOT NULL,
          name TEXT NOT NULL,
          description TEXT NOT NULL,
          labels TEXT NOT NULL,
          family TEXT NOT NULL,
          status BIGINT NOT NULL,
          created_at BIGINT NOT NULL,
          storage_size BIGINT NOT NULL,
          min_disk_size BIGINT NOT NULL,
          product_ids TEXT NOT NULL,
          os TEXT,
          pooled BIGINT NOT NULL,
          hardware_generation TEXT,
          blob_sha256 TEXT,
          source TEXT NOT NULL
        )`,
        "CREATE UNIQUE INDEX compute_images_folder_name ON compute_images (folder_id, name) WHERE name <> ''",
        'CREATE INDEX compute_images_folder_created ON compute_images (folder_id, created_at, id)',
        'CREATE INDEX compute_images_family ON compute_images (folder_id, family, created_at)',
        'CREATE INDEX compute_images_blob ON compute_images (blob_sha256)',
      ],
    },
  ],
  repos: (db) => ({ computeImages: new SqlComputeImageRepo(db) }),
  tables: [COMPUTE_IMAGES],
});
