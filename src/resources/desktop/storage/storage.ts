/** The desktop part's storage: desktops, who owns them, their disks and password hashes. */
import { defineStorage } from '../../../storage/sql/storage-part.js';
import { DESKTOPS, SqlDesktopRepo } from './table.js';
import { DESKTOP_DISKS, SqlDiskRepo } from './disks.js';
import { SqlPasswordRepo } from './passwords.js';

export const desktopStorage = defineStorage({
  track: 'desktop',
  migrations: [
    {
      version: 1,
      name: 'desktops, their users, disks and passwords',
      sql: [
        `CREATE TABLE desktops (
          id TEXT PRIMARY KEY,
          folder_id TEXT NOT NULL,
          desktop_group_id TEXT NOT NULL,
          created_at BIGINT NOT NULL,
          status BIGINT NOT NULL,
          name TEXT NOT NULL,
          description TEXT NOT NULL,
          labels TEXT NOT NULL,
          resources TEXT NOT NULL,
          network_interfaces TEXT NOT NULL,
          users TEXT NOT NULL,
          image_id TEXT NOT NULL,
          locked_by TEXT
        )`,
        'CREATE INDEX desktops_folder_created ON desktops (folder_id, created_at, id)',
        'CREATE INDEX desktops_folder_name ON desktops (folder_id, name, id)',
        'CREATE INDEX desktops_group_created ON desktops (desktop_group_id, created_at, id)',
        `CREATE TABLE desktop_users (
          desktop_id TEXT NOT NULL,
          subject_id TEXT NOT NULL,
          PRIMARY KEY (desktop_id, subject_id)
        )`,
        'CREATE INDEX desktop_users_subject ON desktop_users (subject_id, desktop_id)',
        `CREATE TABLE desktop_disks (
          id TEXT PRIMARY KEY,
          desktop_id TEXT NOT NULL,
          role TEXT NOT NULL,
          type TEXT NOT NULL,
          size BIGINT NOT NULL,
          base_sha256 TEXT,
          base_storage_size BIGINT NOT NULL,
          base_min_disk_size BIGINT NOT NULL,
          overlay_sha256 TEXT,
          created_at BIGINT NOT NULL
        )`,
        'CREATE INDEX desktop_disks_desktop ON desktop_disks (desktop_id)',
        'CREATE INDEX desktop_disks_base ON desktop_disks (base_sha256)',
        'CREATE INDEX desktop_disks_overlay ON desktop_disks (overlay_sha256)',
        `CREATE TABLE desktop_passwords (
          desktop_id TEXT NOT NULL,
          subject_id TEXT NOT NULL,
          hash TEXT NOT NULL,
          created_at BIGINT NOT NULL,
          PRIMARY KEY (desktop_id, subject_id)
        )`,
      ],
    },
  ],
  repos: (db) => ({ desktops: new SqlDesktopRepo(db), desktopDisks: new SqlDiskRepo(db), desktopPasswords: new SqlPasswordRepo(db) }),
  tables: [DESKTOPS, DESKTOP_DISKS],
});
