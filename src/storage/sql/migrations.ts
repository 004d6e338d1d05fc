/**
 * Versioned schema migrations. The DDL is written to run unchanged on SQLite and PostgreSQL
 * (BIGINT, TEXT, partial indexes); a step may give a dialect-specific variant when it must.
 * Applied in order inside one transaction each; the version is kept in schema_migrations.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string[];
  postgres?: string[];
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'images, operations, page cursors',
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
      `CREATE TABLE operations (
        id TEXT PRIMARY KEY,
        description TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        created_by TEXT NOT NULL,
        modified_at BIGINT NOT NULL,
        done BIGINT NOT NULL,
        metadata TEXT NOT NULL,
        error TEXT,
        response TEXT,
        kind TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        folder_id TEXT NOT NULL,
        params TEXT NOT NULL
      )`,
      'CREATE INDEX operations_resource ON operations (resource_id, created_at, id)',
      'CREATE INDEX operations_unfinished ON operations (done, created_at) WHERE done = 0',
      'CREATE INDEX operations_finished ON operations (modified_at) WHERE done = 1',
      `CREATE TABLE page_cursors (
        token TEXT PRIMARY KEY,
        scope TEXT NOT NULL,
        last_values TEXT NOT NULL,
        expires_at BIGINT NOT NULL
      )`,
      'CREATE INDEX page_cursors_expiry ON page_cursors (expires_at)',
    ],
  },
];
