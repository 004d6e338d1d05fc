/** Desktop image rows, shared by the SQLite and PostgreSQL stores. */
import type { DesktopImage, DesktopImageStatus } from '../../domain/desktop-image/desktop-image.js';
import type { DesktopImageRepo, ListQuery, Page } from '../store.js';
import type { SqlExecutor, SqlValue } from './executor.js';
import { buildListQuery, queryPage, type ListFields } from './list-query.js';

const STATUS: Record<DesktopImageStatus, number> = { CREATING: 1, ACTIVE: 2, DELETING: 3 };
const STATUS_NAME = Object.fromEntries(Object.entries(STATUS).map(([k, v]) => [v, k])) as Record<number, DesktopImageStatus>;

interface Row {
  id: string;
  folder_id: string;
  name: string;
  description: string;
  labels: string;
  status: number;
  created_at: number;
  storage_size: number;
  min_disk_size: number;
  blob_sha256: string | null;
  source_id: string;
}

function fromRow(r: Row): DesktopImage {
  return {
    id: r.id,
    folderId: r.folder_id,
    name: r.name,
    description: r.description,
    labels: JSON.parse(r.labels) as Record<string, string>,
    status: STATUS_NAME[Number(r.status)] ?? 'CREATING',
    createdAt: new Date(Number(r.created_at)),
    storageSize: Number(r.storage_size),
    minDiskSize: Number(r.min_disk_size),
    blobSha256: r.blob_sha256,
    sourceId: r.source_id,
  };
}

/** Sortable and filterable fields of desktop images (status sorts by its enum number). */
export const DESKTOP_IMAGE_FIELDS: ListFields<DesktopImage> = {
  name: { column: 'name', key: (i) => i.name },
  created_at: { column: 'created_at', key: (i) => i.createdAt.getTime() },
  status: { column: 'status', key: (i) => STATUS[i.status] },
  id: { column: 'id', key: (i) => i.id },
};

export class SqlDesktopImageRepo implements DesktopImageRepo {
  constructor(private readonly db: SqlExecutor) {}

  async get(id: string): Promise<DesktopImage | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM desktop_images WHERE id = ?', [id]);
    return row && fromRow(row);
  }

  async list(q: ListQuery): Promise<Page<DesktopImage>> {
    return queryPage(this.db, 'desktop_images', DESKTOP_IMAGE_FIELDS, q, fromRow);
  }

  /** The ids of one page (and whether more follow), from the index alone. */
  async listIds(q: ListQuery): Promise<{ ids: string[]; more: boolean }> {
    const { sql, params } = buildListQuery('desktop_images', DESKTOP_IMAGE_FIELDS, q, 'id');
    const ids = (await this.db.all<{ id: string }>(sql, params)).map((r) => r.id);
    return ids.length > q.limit ? { ids: ids.slice(0, q.limit), more: true } : { ids, more: false };
  }

  async getMany(ids: string[]): Promise<DesktopImage[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.all<Row>(`SELECT * FROM desktop_images WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
    return rows.map(fromRow);
  }

  async insert(i: DesktopImage): Promise<void> {
    await this.db.run(
      `INSERT INTO desktop_images (id, folder_id, name, description, labels, status, created_at, storage_size,
         min_disk_size, blob_sha256, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      values(i),
    );
  }

  async update(i: DesktopImage): Promise<boolean> {
    const n = await this.db.run(
      `UPDATE desktop_images SET name = ?, description = ?, labels = ?, status = ?, storage_size = ?,
         min_disk_size = ?, blob_sha256 = ? WHERE id = ?`,
      [i.name, i.description, JSON.stringify(i.labels), STATUS[i.status], i.storageSize, i.minDiskSize, i.blobSha256, i.id],
    );
    return n > 0;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM desktop_images WHERE id = ?', [id])) > 0;
  }

  async countInFolder(folderId: string): Promise<{ count: number; storageSize: number }> {
    const row = await this.db.get<{ n: number; s: number | null }>(
      'SELECT COUNT(*) AS n, SUM(storage_size) AS s FROM desktop_images WHERE folder_id = ?',
      [folderId],
    );
    return { count: Number(row?.n ?? 0), storageSize: Number(row?.s ?? 0) };
  }
}

function values(i: DesktopImage): SqlValue[] {
  return [
    i.id, i.folderId, i.name, i.description, JSON.stringify(i.labels), STATUS[i.status], i.createdAt.getTime(),
    i.storageSize, i.minDiskSize, i.blobSha256, i.sourceId,
  ];
}
