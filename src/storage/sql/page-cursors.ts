/**
 * Server-side page cursors. A page token names a stored keyset position (the sort-key values of
 * the last row served) and the scope of the request that produced it. Names may hold 50
 * characters of any script, so the values do not fit the 100-character page_token limit inline.
 */
import type { PageCursorRepo } from '../../domain/listing/page-cursors.js';
import { defineStorage } from './storage-part.js';
import type { SqlExecutor } from './executor.js';

export class SqlPageCursorRepo implements PageCursorRepo {
  constructor(private readonly db: SqlExecutor) {}

  async save(token: string, scope: string, last: unknown[], expiresAt: Date): Promise<void> {
    // The token is derived from scope and position, so saving it again only extends its life.
    await this.db.run(
      'INSERT INTO page_cursors (token, scope, last_values, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (token) DO UPDATE SET expires_at = excluded.expires_at',
      [token, scope, JSON.stringify(last), expiresAt.getTime()],
    );
  }

  async load(token: string, now: Date): Promise<{ scope: string; last: unknown[]; expiresAt: Date } | undefined> {
    const row = await this.db.get<{ scope: string; last_values: string; expires_at: number }>(
      'SELECT scope, last_values, expires_at FROM page_cursors WHERE token = ?',
      [token],
    );
    if (!row || Number(row.expires_at) <= now.getTime()) return undefined;
    return { scope: row.scope, last: JSON.parse(row.last_values) as unknown[], expiresAt: new Date(Number(row.expires_at)) };
  }

  async purgeExpired(now: Date): Promise<number> {
    return this.db.run('DELETE FROM page_cursors WHERE expires_at <= ?', [now.getTime()]);
  }
}

export const pageCursorStorage = defineStorage({
  track: 'listing',
  migrations: [
    {
      version: 1,
      name: 'page cursors',
      sql: [
        `CREATE TABLE page_cursors (
          token TEXT PRIMARY KEY,
          scope TEXT NOT NULL,
          last_values TEXT NOT NULL,
          expires_at BIGINT NOT NULL
        )`,
        'CREATE INDEX page_cursors_expiry ON page_cursors (expires_at)',
      ],
    },
  ],
  repos: (db) => ({ pageCursors: new SqlPageCursorRepo(db) }),
});
