/**
 * Builds the keyset-paged SELECT for List: folder scope, filter conditions, ORDER BY with the
 * id tiebreaker, and "after the last row" as an expanded OR of prefixes, which both SQLite and
 * PostgreSQL plan well and which stays correct with mixed directions.
 *
 *   const { sql, params } = buildListQuery('desktop_images', columns, q);
 */
import type { ListQuery } from '../store.js';
import type { SqlValue } from './executor.js';

export interface ListColumns {
  /** Domain field name → SQL column (or expression). */
  [field: string]: string;
}

export function buildListQuery(
  table: string,
  columns: ListColumns,
  q: ListQuery,
  encode: (field: string, v: unknown) => SqlValue = (_f, v) => v as SqlValue,
  select = '*',
): { sql: string; params: SqlValue[] } {
  const where: string[] = ['folder_id = ?'];
  const params: SqlValue[] = [q.folderId];
  for (const c of q.filter) {
    const col = columnOf(columns, c.field);
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
        parts.push(`${columnOf(columns, q.order[j]!.field)} = ?`);
        params.push(encode(q.order[j]!.field, q.after[j]));
      }
      const key = q.order[i]!;
      parts.push(`${columnOf(columns, key.field)} ${key.desc ? '<' : '>'} ?`);
      params.push(encode(key.field, q.after[i]));
      ors.push(`(${parts.join(' AND ')})`);
    }
    where.push(`(${ors.join(' OR ')})`);
  }
  const orderBy = q.order.map((k) => `${columnOf(columns, k.field)} ${k.desc ? 'DESC' : 'ASC'}`).join(', ');
  params.push(q.limit + 1);
  return { sql: `SELECT ${select} FROM ${table} WHERE ${where.join(' AND ')} ORDER BY ${orderBy} LIMIT ?`, params };
}

function columnOf(columns: ListColumns, field: string): string {
  const col = columns[field];
  if (!col) throw new Error(`no column for field ${field}`);
  return col;
}

/** Cuts the extra row fetched to learn whether more follow. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => unknown[]): { items: T[]; last?: unknown[] } {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  return { items, last: keyOf(items[items.length - 1]!) };
}
