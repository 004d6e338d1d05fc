/** Compute image rows, shared by the SQLite and PostgreSQL stores. */
import type { ComputeImage, ComputeImageStatus } from '../../domain/compute-image/compute-image.js';
import type { ComputeImageRepo, ListQuery, Page } from '../store.js';
import type { SqlExecutor, SqlValue } from './executor.js';
import { queryPage, type ListFields } from './list-query.js';

const STATUS: Record<ComputeImageStatus, number> = { CREATING: 1, READY: 2, ERROR: 3, DELETING: 4 };
const STATUS_NAME = Object.fromEntries(Object.entries(STATUS).map(([k, v]) => [v, k])) as Record<number, ComputeImageStatus>;

interface Row {
  id: string;
  folder_id: string;
  name: string;
  description: string;
  labels: string;
  family: string;
  status: number;
  created_at: number;
  storage_size: number;
  min_disk_size: number;
  product_ids: string;
  os: string | null;
  pooled: number;
  hardware_generation: string | null;
  blob_sha256: string | null;
  source: string;
}

function fromRow(r: Row): ComputeImage {
  return {
    id: r.id,
    folderId: r.folder_id,
    name: r.name,
    description: r.description,
    labels: JSON.parse(r.labels) as Record<string, string>,
    family: r.family,
    status: STATUS_NAME[Number(r.status)] ?? 'CREATING',
    createdAt: new Date(Number(r.created_at)),
    storageSize: Number(r.storage_size),
    minDiskSize: Number(r.min_disk_size),
    productIds: JSON.parse(r.product_ids) as string[],
    os: r.os ? (JSON.parse(r.os) as ComputeImage['os']) : null,
    pooled: Number(r.pooled) === 1,
    hardwareGeneration: r.hardware_generation ? (JSON.parse(r.hardware_generation) as Record<string, unknown>) : null,
    blobSha256: r.blob_sha256,
    source: r.source,
  };
}

const COMPUTE_IMAGE_FIELDS: ListFields<ComputeImage> = {
  name: { column: 'name', key: (i) => i.name },
  family: { column: 'family', key: (i) => i.family },
  created_at: { column: 'created_at', key: (i) => i.createdAt.getTime() },
  status: { column: 'status', key: (i) => STATUS[i.status] },
  id: { column: 'id', key: (i) => i.id },
};

export class SqlComputeImageRepo implements ComputeImageRepo {
  constructor(private readonly db: SqlExecutor) {}

  async get(id: string): Promise<ComputeImage | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM compute_images WHERE id = ?', [id]);
    return row && fromRow(row);
  }

  async list(q: ListQuery): Promise<Page<ComputeImage>> {
    return queryPage(this.db, 'compute_images', COMPUTE_IMAGE_FIELDS, q, fromRow);
  }

  async findByName(folderId: string, name: string): Promise<ComputeImage | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM compute_images WHERE folder_id = ? AND name = ?', [folderId, name]);
    return row && fromRow(row);
  }

  async latestByFamily(folderId: string, family: string): Promise<ComputeImage | undefined> {
    const row = await this.db.get<Row>(
      `SELECT * FROM compute_images WHERE folder_id = ? AND family = ? AND status = ?
       ORDER BY created_at DESC, id DESC LIMIT 1`,
      [folderId, family, STATUS.READY],
    );
    return row && fromRow(row);
  }

  async insert(i: ComputeImage): Promise<void> {
    await this.db.run(
      `INSERT INTO compute_images (id, folder_id, name, description, labels, family, status, created_at,
         storage_size, min_disk_size, product_ids, os, pooled, hardware_generation, blob_sha256, source)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        i.id, i.folderId, i.name, i.description, JSON.stringify(i.labels), i.family, STATUS[i.status],
        i.createdAt.getTime(), i.storageSize, i.minDiskSize, JSON.stringify(i.productIds), json(i.os),
        i.pooled ? 1 : 0, json(i.hardwareGeneration), i.blobSha256, i.source,
      ],
    );
  }

  async update(i: ComputeImage): Promise<boolean> {
    const n = await this.db.run(
      `UPDATE compute_images SET name = ?, description = ?, labels = ?, family = ?, status = ?, storage_size = ?,
         min_disk_size = ?, blob_sha256 = ? WHERE id = ?`,
      [i.name, i.description, JSON.stringify(i.labels), i.family, STATUS[i.status], i.storageSize, i.minDiskSize, i.blobSha256, i.id],
    );
    return n > 0;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM compute_images WHERE id = ?', [id])) > 0;
  }
}

function json(v: unknown): SqlValue {
  return v === null || v === undefined ? null : JSON.stringify(v);
}
