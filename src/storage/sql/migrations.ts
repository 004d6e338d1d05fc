/**
 * Versioned schema migrations. The DDL is written to run unchanged on SQLite and PostgreSQL
 * (BIGINT, TEXT, partial indexes); a statement that cannot be shared gives one text per
 * dialect. Applied in order inside one transaction each; the version is kept in
 * schema_migrations.
 */
export type Dialect = 'sqlite' | 'postgres';
export type Statement = string | Record<Dialect, string>;

export interface Migration {
  version: number;
  name: string;
  sql: Statement[];
}

export function statementsFor(m: Migration, dialect: Dialect): string[] {
  return m.sql.map((s) => (typeof s === 'string' ? s : s[dialect]));
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
  {
    version: 2,
    name: 'iam: service accounts, keys, tokens, access bindings',
    sql: [
      `CREATE TABLE service_accounts (
        id TEXT PRIMARY KEY,
        folder_id TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        labels TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        last_authenticated_at BIGINT
      )`,
      'CREATE UNIQUE INDEX service_accounts_folder_name ON service_accounts (folder_id, name)',
      'CREATE INDEX service_accounts_folder_created ON service_accounts (folder_id, created_at, id)',
      `CREATE TABLE iam_keys (
        id TEXT PRIMARY KEY,
        service_account_id TEXT NOT NULL,
        description TEXT NOT NULL,
        algorithm TEXT NOT NULL,
        public_key TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        last_used_at BIGINT
      )`,
      'CREATE INDEX iam_keys_account ON iam_keys (service_account_id, created_at, id)',
      `CREATE TABLE iam_tokens (
        token_hash TEXT PRIMARY KEY,
        token_id TEXT NOT NULL,
        subject_id TEXT NOT NULL,
        key_id TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
      )`,
      'CREATE INDEX iam_tokens_key ON iam_tokens (key_id)',
      'CREATE INDEX iam_tokens_subject ON iam_tokens (subject_id)',
      'CREATE INDEX iam_tokens_expiry ON iam_tokens (expires_at)',
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
    version: 3,
    name: 'audit outbox, idempotency keys',
    sql: [
      {
        sqlite: `CREATE TABLE audit_outbox (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          event_id TEXT NOT NULL UNIQUE,
          operation_id TEXT NOT NULL,
          created_at BIGINT NOT NULL,
          event TEXT NOT NULL
        )`,
        postgres: `CREATE TABLE audit_outbox (
          seq BIGSERIAL PRIMARY KEY,
          event_id TEXT NOT NULL UNIQUE,
          operation_id TEXT NOT NULL,
          created_at BIGINT NOT NULL,
          event TEXT NOT NULL
        )`,
      },
      'CREATE INDEX audit_outbox_created ON audit_outbox (created_at)',
      `CREATE TABLE audit_pending (
        sink TEXT NOT NULL,
        seq BIGINT NOT NULL,
        PRIMARY KEY (sink, seq)
      )`,
      'CREATE INDEX audit_pending_seq ON audit_pending (seq)',
      'CREATE TABLE audit_started (operation_id TEXT PRIMARY KEY, event TEXT NOT NULL)',
      `CREATE TABLE idempotency_keys (
        subject_id TEXT NOT NULL,
        method TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        operation_id TEXT,
        claim TEXT NOT NULL,
        lease_until BIGINT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        PRIMARY KEY (subject_id, method, idempotency_key)
      )`,
      'CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at)',
    ],
  },
];
