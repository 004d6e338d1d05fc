/** Desktop disk rows: copy-on-write records whose blob columns keep image bytes alive. */
import type { Disk, DiskRepo } from '../domain/disk.js';
import type { SqlExecutor } from '../../../storage/sql/executor.js';
import { SqlRepo } from '../../../storage/sql/sql-repo.js';
import { date, integer, nullableText, SqlTable, text, type Column } from '../../../storage/sql/table.js';

export const DESKTOP_DISKS = new SqlTable<Disk>(
  'desktop_disks',
  {
    id: text('id'),
    desktopId: text('desktop_id'),
    role: text('role') as Column<Disk['role']>,
    type: text('type') as Column<Disk['type']>,
    size: integer('size'),
    baseSha256: nullableText('base_sha256'),
    baseStorageSize: integer('base_storage_size'),
    baseMinDiskSize: integer('base_min_disk_size'),
    overlaySha256: nullableText('overlay_sha256'),
    createdAt: date('created_at'),
  },
  { immutable: ['desktopId', 'role', 'createdAt'], blobs: ['baseSha256', 'overlaySha256'] },
);

export class SqlDiskRepo extends SqlRepo<Disk> implements DiskRepo {
  constructor(db: SqlExecutor) {
    super(db, DESKTOP_DISKS);
  }

  async ofDesktop(desktopId: string): Promise<Disk[]> {
    const rows = await this.db.all<Record<string, unknown>>("SELECT * FROM desktop_disks WHERE desktop_id = ? ORDER BY role, id", [desktopId]);
    return rows.map((r) => DESKTOP_DISKS.fromRow(r));
  }

  deleteOfDesktop(desktopId: string): Promise<number> {
    return this.db.run('DELETE FROM desktop_disks WHERE desktop_id = ?', [desktopId]);
  }
}
