/**
 * Page tokens for every List: opaque random names of server-side keyset cursors, bound to the
 * request's scope (folder, filter, order) and kept for a limited time (decisions.md point 9).
 *
 *   const after = await pager.resolve(req.pageToken, scope);     // undefined on the first page
 *   const page = await store.read((tx) => tx.desktopImages.list({ ..., after }));
 *   const nextPageToken = await pager.issue(scope, page.last);   // '' on the last page
 */
import { randomBytes } from 'node:crypto';
import type { Store } from '../../storage/store.js';
import type { Clock } from '../../clock.js';
import { InvalidArgumentError } from '../errors.js';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export class Pager {
  constructor(private readonly store: Store, private readonly clock: Clock, private readonly ttlMs = 24 * 3600_000) {}

  /** page_size 0 means the default; the validator already bounds the top, this the bottom. */
  static pageSize(requested: bigint | number, field = 'page_size'): number {
    const n = Number(requested);
    if (n < 0) throw InvalidArgumentError.field(field, 'Value must be greater than or equal to 0');
    if (n > MAX_PAGE_SIZE) throw InvalidArgumentError.field(field, `Value must be less than or equal to ${MAX_PAGE_SIZE}`);
    return n === 0 ? DEFAULT_PAGE_SIZE : n;
  }

  async resolve(token: string, scope: string): Promise<unknown[] | undefined> {
    if (token === '') return undefined;
    const cursor = /^[A-Za-z0-9_-]{22}$/.test(token)
      ? await this.store.read((tx) => tx.pageCursors.load(token, this.clock.now()))
      : undefined;
    if (!cursor) throw InvalidArgumentError.field('page_token', 'Invalid or expired page token');
    if (cursor.scope !== scope) {
      throw InvalidArgumentError.field('page_token', 'Page token does not match the folder, filter or order of this request');
    }
    return cursor.last;
  }

  async issue(scope: string, last: unknown[] | undefined): Promise<string> {
    if (!last) return '';
    const token = randomBytes(16).toString('base64url');
    const expires = new Date(this.clock.now().getTime() + this.ttlMs);
    await this.store.transact((tx) => tx.pageCursors.save(token, scope, last, expires));
    return token;
  }
}
