/**
 * What a List use case asks a repository for, and what it gets back. The field table of a
 * resource (`ListFields`) is the one place that says which fields a List filters and sorts on
 * and which entity property each one reads; the SQL adapters derive their columns and keyset
 * values from it, so the domain and the storage cannot disagree.
 *
 *   export const DESKTOP_IMAGE_LIST: ListFields<DesktopImage> = {
 *     kind: 'desktop-image',
 *     filter: ['name'],
 *     sort: { name: 'name', created_at: 'createdAt', status: 'status' },
 *     aliases: { createdAt: 'created_at' },
 *   };
 */
import type { FilterCondition } from './filter.js';
import type { OrderKey } from './order-by.js';

export interface ListQuery {
  /** The id rows are listed under: a folder, or the parent named by `parentProperty`. */
  folderId: string;
  /** The entity property that holds the parent id, when it is not `folderId` (a group's desktops). */
  parentProperty?: string;
  /** Only rows owned by this subject (a desktop's users): what a caller who holds only `useOwn` sees. */
  ownedBy?: string;
  filter: FilterCondition[];
  /** Ends with the id tiebreaker. Fields are the canonical names of `ListFields.sort`. */
  order: OrderKey[];
  /** Sort-key values of the last row of the previous page, in `order`. */
  after?: unknown[];
  limit: number;
  /**
   * Names the folder, owner, filter and order exactly (their canonical scope, page-scope.ts), so
   * a cache can key the query by it, `limit`, `after` and `parentProperty`; absent, a cache works
   * out its own. Code that changes a query's folder, owner, filter or order must drop it.
   */
  key?: string;
}

export interface Page<T> {
  items: T[];
  /** Sort-key values of the last item when more rows follow. */
  last?: unknown[];
}

export interface ListFields<T> {
  /** Distinguishes resource kinds sharing a folder in the page-token scope. */
  readonly kind: string;
  /** Fields `filter` may name (canonical names; each must also be in `sort` or be `id`). */
  readonly filter: readonly string[];
  /** Canonical name of each sortable field → the entity property it reads. `id` is implied. */
  readonly sort: Readonly<Record<string, keyof T & string>>;
  /** Other spellings `order_by` accepts → canonical name. */
  readonly aliases?: Readonly<Record<string, string>>;
  /** Order when `order_by` is empty; default `created_at asc`. */
  readonly defaultOrder?: readonly OrderKey[];
}

/** The entity property behind a canonical list field (`id` is always the id). */
export function propertyOf<T>(fields: ListFields<T>, field: string): keyof T & string {
  if (field === 'id') return 'id' as keyof T & string;
  const prop = fields.sort[field];
  if (!prop) throw new Error(`${fields.kind}: no list field ${field}`);
  return prop;
}
