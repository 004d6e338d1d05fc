/**
 * Server-side page cursors: a page token that names a stored keyset position, for the rare
 * positions that do not fit the 100-character page_token limit inline (pager.ts).
 */
export interface PageCursorRepo {
  save(token: string, scope: string, last: unknown[], expiresAt: Date): Promise<void>;
  load(token: string, now: Date): Promise<{ scope: string; last: unknown[] } | undefined>;
  purgeExpired(now: Date): Promise<number>;
}

declare module '../store.js' {
  interface Repos {
    pageCursors: PageCursorRepo;
  }
}
