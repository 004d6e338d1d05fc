/**
 * The common shape of every List use case: parse filter and order, resolve the page token,
 * query one page, and issue the next token. `pageOf` is the same for lists that have neither
 * filter nor order (the operations of a resource, the keys of an account).
 *
 *   return listPage(pager, req, DESKTOP_IMAGE_LIST, (q) => store.read((tx) => tx.desktopImages.list(q)));
 *   return pageOf(pager, { scopeId: imageId, kind: 'operations' }, req, (limit, after) => ...);
 */
import type { ListFields, ListQuery, Page } from './list-query.js';
import { parseFilter, type FilterCondition } from './filter.js';
import { parseOrderBy, type OrderKey } from './order-by.js';
import { canonicalScope, hashedScope, pageScope } from './page-scope.js';
import { Pager } from './pager.js';
import { deepFreeze } from '../deep-freeze.js';
import { Recent } from '../recent.js';

/** One page of a list: what every List RPC asks for, in domain terms. */
export interface PageRequest {
  pageSize: number;
  pageToken: string;
  /** Only where the request has one (ListOperations); List requests carry theirs in ListRequest. */
  filter?: string;
}

export interface ListRequest extends PageRequest {
  folderId: string;
  filter: string;
  orderBy: string;
  /** Only what this subject owns (set by authorization for a caller who holds only `useOwn`). */
  ownedBy?: string;
}

export interface ListResult<T> {
  items: T[];
  nextPageToken: string;
}

export async function listPage<T>(
  pager: Pager,
  req: ListRequest,
  fields: ListFields<T>,
  query: (q: ListQuery) => Promise<Page<T>>,
): Promise<ListResult<T>> {
  const { filter, order, scope, key } = prepared(req, fields);
  const limit = Pager.pageSize(req.pageSize);
  const after = await pager.resolve(req.pageToken, scope);
  const page = await query({ folderId: req.folderId, filter, order, after, limit, key, ...(req.ownedBy && { ownedBy: req.ownedBy }) });
  const known = results.get(page);
  if (known?.scope === scope) return known.result as ListResult<T>;
  const result = { items: page.items, nextPageToken: await pager.issue(scope, page.last) };
  // A frozen page is one the store hands out again, unchanged, for this very query (the embedded
  // store's page cache), so its result is frozen and kept with it for the layers above to reuse.
  if (Object.isFrozen(page) && Pager.lasting(result.nextPageToken)) results.set(page, { scope, result: Object.freeze(result) });
  return result;
}

interface Prepared {
  readonly filter: FilterCondition[];
  readonly order: OrderKey[];
  readonly scope: string;
  /** ListQuery.key: the canonical scope. */
  readonly key: string;
}

/**
 * A request's parsed filter and order, its page-token scope and its query key, kept for the last
 * requests by their own text: a List repeated by a poller or a console parses, serialises and
 * hashes nothing (about 4 µs of a REST List's 34; bench/RESULTS.md, "eighth session"). The
 * list's kind stands for its fields. What is kept is frozen, as it is shared.
 */
function prepared<T>(req: ListRequest, fields: ListFields<T>): Prepared {
  // Each free-text part after its length, so no two requests share a text (half the cost of
  // JSON.stringify, which scans every character for escapes).
  const owner = req.ownedBy ?? '';
  const text = `${fields.kind}\n${req.folderId.length}:${req.folderId}${owner.length}:${owner}${req.orderBy.length}:${req.orderBy}${req.filter}`;
  return recentRequests.get(text) ?? recentRequests.keep(text, prepare(req, fields));
}

function prepare<T>(req: ListRequest, fields: ListFields<T>): Prepared {
  const filter = deepFreeze(parseFilter(req.filter, fields.filter));
  const order = deepFreeze(parseOrderBy(req.orderBy, orderSpellings(fields), fields.defaultOrder));
  const parts = { folderId: req.folderId, filter, order, extra: req.ownedBy ? `${fields.kind}\nowned-by:${req.ownedBy}` : fields.kind };
  const key = canonicalScope(parts);
  return { filter, order, scope: hashedScope(key), key };
}

const recentRequests = new Recent<string, Prepared>(1024);

/** The result of a frozen page under its scope, for as long as the page lives. */
const results = new WeakMap<object, { scope: string; result: ListResult<unknown> }>();

/** A page of a fixed-order list under one parent (`scopeId`), e.g. a resource's operations. */
export async function pageOf<T>(
  pager: Pager,
  scopeOf: { scopeId: string; kind: string },
  req: PageRequest,
  query: (limit: number, after: unknown[] | undefined) => Promise<Page<T>>,
): Promise<ListResult<T>> {
  const limit = Pager.pageSize(req.pageSize);
  const scope = pageScope({ folderId: scopeOf.scopeId, filter: [], order: [], extra: scopeOf.kind });
  const after = await pager.resolve(req.pageToken, scope);
  const page = await query(limit, after);
  return { items: page.items, nextPageToken: await pager.issue(scope, page.last) };
}

const spellings = new WeakMap<object, Record<string, string>>();

/** Every spelling `order_by` accepts → its canonical field (worked out once per list). */
function orderSpellings<T>(fields: ListFields<T>): Record<string, string> {
  let known = spellings.get(fields);
  if (!known) {
    const out: Record<string, string> = {};
    for (const name of Object.keys(fields.sort)) out[name] = name;
    spellings.set(fields, (known = { ...out, ...fields.aliases }));
  }
  return known;
}
