/**
 * Server-side page cursors: a page token that names a stored keyset position, for the rare
 * positions that do not fit the 100-character page_token limit inline (pager.ts). The token is
 * derived from the scope and the position, so `save` of a known token only extends its life.
 */
export interface PageCursorRepo {
  save(token: string, scope: string, last: unknown[], expiresAt: Date): Promise<void>;
  load(token: string, now: Date): Promise<{ scope: string; last: unknown[]; expiresAt: Date } | undefined>;
  purgeExpired(now: Date): Promise<number>;
}

declare module '../store.js' {
  interface Repos {
    pageCursors: PageCursorRepo;
  }
}
