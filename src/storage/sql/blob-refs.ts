/** Which blobs are still referenced by an image (desktop or Compute). */
import type { BlobRefRepo } from '../store.js';
import type { SqlExecutor } from './executor.js';

export class SqlBlobRefRepo implements BlobRefRepo {
  constructor(private readonly db: SqlExecutor) {}

  async isReferenced(sha256: string): Promise<boolean> {
    const row = await this.db.get(
      `SELECT 1 AS x FROM desktop_images WHERE blob_sha256 = ?
       UNION ALL SELECT 1 AS x FROM compute_images WHERE blob_sha256 = ? LIMIT 1`,
      [sha256, sha256],
    );
    return row !== undefined;
  }

  async allReferenced(): Promise<Set<string>> {
    const rows = await this.db.all<{ sha: string }>(
      `SELECT blob_sha256 AS sha FROM desktop_images WHERE blob_sha256 IS NOT NULL
       UNION SELECT blob_sha256 AS sha FROM compute_images WHERE blob_sha256 IS NOT NULL`,
    );
    return new Set(rows.map((r) => r.sha));
  }
}
