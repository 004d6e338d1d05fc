/**
 * Page tokens for every List (docs/decisions.md point 9). A token carries the keyset position (the
 * sort-key values of the last row served) and is signed with HMAC-SHA256 over the request's
 * scope (folder, filter, order), so it cannot be forged or replayed against another request.
 * When the values do not fit the 100-character page_token limit (names may hold 50
 * characters of any script), the position is kept server-side under a token derived from the
 * scope and the position (an HMAC), so a List repeated by a viewer reads the row it already made
 * instead of adding one: a position is written once, and again only when half its life is gone.
 *
 *   const after = await pager.resolve(req.pageToken, scope);     // undefined on the first page
 *   const page = await store.read((tx) => tx.desktopImages.list({ ..., after }));
 *   const nextPageToken = await pager.issue(scope, page.last);   // '' on the last page
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store.js';
import type { Clock } from '../../clock.js';
import { InvalidArgumentError } from '../errors.js';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;
export const MAX_TOKEN_LENGTH = 100;

const MAC_BYTES = 9; // 12 base64url characters
const STORED = /^s[A-Za-z0-9_-]{22}$/;

export class Pager {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly secret: Buffer,
    private readonly ttlMs = 24 * 3600_000,
  ) {}

  /** page_size 0 means the default; the validator already bounds the top, this the bottom. */
  static pageSize(requested: number, field = 'page_size'): number {
    const n = Number(requested);
    if (n < 0) throw InvalidArgumentError.field(field, 'Value must be greater than or equal to 0');
    if (n > MAX_PAGE_SIZE) throw InvalidArgumentError.field(field, `Value must be less than or equal to ${MAX_PAGE_SIZE}`);
    return n === 0 ? DEFAULT_PAGE_SIZE : n;
  }

  async resolve(token: string, scope: string): Promise<unknown[] | undefined> {
    if (token === '') return undefined;
    const last = STORED.test(token) ? await this.loadStored(token, scope) : this.verifyInline(token, scope);
    if (!last) {
      throw InvalidArgumentError.field('page_token', 'Invalid or expired page token, or it belongs to a request with another folder, filter or order');
    }
    return last;
  }

  /**
   * True when `token` (from `issue`) stands for its position for good: a token that carries the
   * position itself. A stored one must be issued again, which keeps its row from expiring.
   */
  static lasting(token: string): boolean {
    return !STORED.test(token);
  }

  async issue(scope: string, last: unknown[] | undefined): Promise<string> {
    if (!last) return '';
    const payload = Buffer.from(JSON.stringify(last)).toString('base64url');
    const inline = `${payload}.${this.mac(scope, payload)}`;
    if (inline.length <= MAX_TOKEN_LENGTH) return inline;
    const token = `s${createHmac('sha256', this.secret).update('cursor\n').update(scope).update('\n').update(payload).digest().subarray(0, 16).toString('base64url')}`;
    const now = this.clock.now().getTime();
    const known = await this.store.read((tx) => tx.pageCursors.load(token, new Date(now)));
    if (known && known.expiresAt.getTime() - now > this.ttlMs / 2) return token;
    await this.store.transact((tx) => tx.pageCursors.save(token, scope, last, new Date(now + this.ttlMs)));
    return token;
  }

  private mac(scope: string, payload: string): string {
    return createHmac('sha256', this.secret).update(scope).update('\n').update(payload).digest().subarray(0, MAC_BYTES).toString('base64url');
  }

  private verifyInline(token: string, scope: string): unknown[] | undefined {
    const dot = token.indexOf('.');
    if (dot <= 0) return undefined;
    const payload = token.slice(0, dot);
    // Compared as text: base64url decoding would ignore trailing characters.
    const given = Buffer.from(token.slice(dot + 1));
    const expected = Buffer.from(this.mac(scope, payload));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const last = JSON.parse(Buffer.from(payload, 'base64url').toString()) as unknown;
      return Array.isArray(last) ? last : undefined;
    } catch {
      return undefined;
    }
  }

  private async loadStored(token: string, scope: string): Promise<unknown[] | undefined> {
    const cursor = await this.store.read((tx) => tx.pageCursors.load(token, this.clock.now()));
    return cursor && cursor.scope === scope ? cursor.last : undefined;
  }
}
