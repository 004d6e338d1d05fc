/**
 * Keyset-paged List for every resource: folder scope, filter conditions, ORDER BY with the id
 * tiebreaker, and "after the last row" as a range on the first key (so the index seeks to the
 * page) and an expanded OR of prefixes, which both SQLite and PostgreSQL plan well and which
 * stays correct with mixed directions. Columns and keyset values
 * come from the resource's table definition (table.ts) and its domain List fields.
 *
 *   return queryPage(db, DESKTOP_IMAGES, q);
 */
import type { ListQuery, Page } from '../../domain/listing/list-query.js';
import { propertyOf } from '../../domain/listing/list-query.js';
import type { OrderKey } from '../../domain/listing/order-by.js';
import type { SqlExecutor, SqlValue } from './executor.js';
import type { SqlTable } from './table.js';

/** Runs the List query of `q` and cuts one page with the keyset of its last row. */
export async function queryPage<T>(db: SqlExecutor, table: SqlTable<T>, q: ListQuery): Promise<Page<T>> {
  const { sql, params } = buildListQuery(table, q);
  const rows = (await db.all<Record<string, unknown>>(sql, params)).map((r) => table.fromRow(r));
  return toPage(rows, q.limit, (row) => keysetOf(table, q.order, row));
}

/** The sort-key values of `row` in `order`: what a page token carries. */
export function keysetOf<T>(table: SqlTable<T>, order: readonly OrderKey[], row: T): unknown[] {
  const fields = table.listFields();
  return order.map((k) => table.encode(propertyOf(fields, k.field), row));
}

export function buildListQuery<T>(table: SqlTable<T>, q: ListQuery, select = '*'): { sql: string; params: SqlValue[] } {
  const columnOf = (field: string) => table.listColumn(field);
  const where: string[] = [`${table.col((q.parentProperty ?? 'folderId') as keyof T & string)} = ?`];
  const params: SqlValue[] = [q.folderId];
  if (q.ownedBy !== undefined) {
    const o = table.options.owners;
    if (!o) throw new Error(`table ${table.name} has no owners`);
    where.push(`${table.col(table.key)} IN (SELECT ${o.key} FROM ${o.table} WHERE ${o.subject} = ?)`);
    params.push(q.ownedBy);
  }
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
    // The first key's bound alone lets the index seek to the page instead of walking every row
    // before it; the OR of prefixes below then cuts exactly (mixed directions included).
    const first = q.order[0]!;
    where.push(`${columnOf(first.field)} ${first.desc ? '<=' : '>='} ?`);
    params.push(q.after[0] as SqlValue);
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
  return { sql: `SELECT ${select} FROM ${table.name} WHERE ${where.join(' AND ')} ORDER BY ${orderBy} LIMIT ?`, params };
}

/** Cuts the extra row fetched to learn whether more follow. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => unknown[]): Page<T> {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  return { items, last: keyOf(items[items.length - 1]!) };
}
