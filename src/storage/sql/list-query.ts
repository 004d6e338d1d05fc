/**
 * Keyset-paged List for every resource: folder scope, filter conditions, ORDER BY with the id
 * tiebreaker, and "after the last row" as an expanded OR of prefixes, which both SQLite and
 * PostgreSQL plan well and which stays correct with mixed directions. One table of fields per
 * resource says where each sortable/filterable field lives in SQL and on the entity.
 *
 *   const FIELDS: ListFields<DesktopImage> = { name: { column: 'name', key: (i) => i.name }, ... };
 *   return queryPage(db, 'desktop_images', FIELDS, q, fromRow);
 */
import type { ListQuery, Page } from '../store.js';
import type { OrderKey } from '../../domain/listing/order-by.js';
import type { SqlExecutor, SqlValue } from './executor.js';

/** Domain field name → its SQL column and its value on the entity (as stored, for keysets). */
export type ListFields<T> = Record<string, { column: string; key: (row: T) => unknown }>;

/** Runs the List query of `q` and cuts one page with the keyset of its last row. */
export async function queryPage<T, R>(
  db: SqlExecutor,
  table: string,
  fields: ListFields<T>,
  q: ListQuery,
  fromRow: (row: R) => T,
): Promise<Page<T>> {
  const { sql, params } = buildListQuery(table, fields, q);
  const rows = (await db.all<R>(sql, params)).map(fromRow);
  return toPage(rows, q.limit, (row) => keysetOf(fields, q.order, row));
}

/** The sort-key values of `row` in `order`: what a page token carries. */
export function keysetOf<T>(fields: ListFields<T>, order: readonly OrderKey[], row: T): unknown[] {
  return order.map((k) => fieldOf(fields, k.field).key(row));
}

export function buildListQuery<T>(
  table: string,
  fields: ListFields<T>,
  q: ListQuery,
  select = '*',
): { sql: string; params: SqlValue[] } {
  const columnOf = (field: string) => fieldOf(fields, field).column;
  const where: string[] = ['folder_id = ?'];
  const params: SqlValue[] = [q.folderId];
  for (const c of q.filter) {
    const col = columnOf(c.field);
    if (c.op === '=' || c.op === '!=') {
      where.push(`${col} ${c.op === '=' ? '=' : '<>'} ?`);
      params.push(c.values[0]!);
    } else {
      where.push(`${col} ${c.op === 'IN' ? 'IN' : 'NOT IN'} (${c.values.map(() => '?').join(', ')})`);
      params.push(...c.values);
    }
  }
  if (q.after) {
    const ors: string[] = [];
    for (let i = 0; i < q.order.length; i++) {
      const parts: string[] = [];
      for (let j = 0; j < i; j++) {
        parts.push(`${columnOf(q.order[j]!.field)} = ?`);
        params.push(q.after[j] as SqlValue);
      }
      const key = q.order[i]!;
      parts.push(`${columnOf(key.field)} ${key.desc ? '<' : '>'} ?`);
      params.push(q.after[i] as SqlValue);
      ors.push(`(${parts.join(' AND ')})`);
    }
    where.push(`(${ors.join(' OR ')})`);
  }
  const orderBy = q.order.map((k) => `${columnOf(k.field)} ${k.desc ? 'DESC' : 'ASC'}`).join(', ');
  params.push(q.limit + 1);
  return { sql: `SELECT ${select} FROM ${table} WHERE ${where.join(' AND ')} ORDER BY ${orderBy} LIMIT ?`, params };
}

function fieldOf<T>(fields: ListFields<T>, field: string): ListFields<T>[string] {
  const f = fields[field];
  if (!f) throw new Error(`no list field ${field}`);
  return f;
}

/** Cuts the extra row fetched to learn whether more follow. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => unknown[]): { items: T[]; last?: unknown[] } {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  return { items, last: keyOf(items[items.length - 1]!) };
}
