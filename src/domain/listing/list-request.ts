/**
 * The common shape of every List use case: parse filter and order, resolve the page token,
 * query one page, and issue the next token.
 *
 *   return listPage(pager, req, { filterFields: ['name'], orderFields }, (q) => tx.list(q));
 */
import type { ListQuery, Page } from '../../storage/store.js';
import { parseFilter } from './filter.js';
import { parseOrderBy, type OrderKey } from './order-by.js';
import { pageScope } from './page-scope.js';
import { Pager } from './pager.js';

export interface ListRequest {
  folderId: string;
  pageSize: bigint | number;
  pageToken: string;
  filter: string;
  orderBy: string;
}

export interface ListShape {
  filterFields: readonly string[];
  orderFields: Record<string, string>;
  defaultOrder?: readonly OrderKey[];
  /** Distinguishes resource kinds sharing a folder in the token scope. */
  kind: string;
}

export async function listPage<T>(
  pager: Pager,
  req: ListRequest,
  shape: ListShape,
  query: (q: ListQuery) => Promise<Page<T>>,
): Promise<{ items: T[]; nextPageToken: string }> {
  const filter = parseFilter(req.filter, shape.filterFields);
  const order = parseOrderBy(req.orderBy, shape.orderFields, shape.defaultOrder);
  const limit = Pager.pageSize(req.pageSize);
  const scope = pageScope({ folderId: req.folderId, filter, order, extra: shape.kind });
  const after = await pager.resolve(req.pageToken, scope);
  const page = await query({ folderId: req.folderId, filter, order, after, limit });
  return { items: page.items, nextPageToken: await pager.issue(scope, page.last) };
}
