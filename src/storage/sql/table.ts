/**
 * A table definition: one column table per resource from which the SQL repositories derive the
 * row mapping, the INSERT and UPDATE column lists, and the columns and keyset values of List
 * (through the resource's domain `ListFields`). A column's codec turns an entity property into
 * what the database stores and back, so both dialects store the same values.
 *
 *   export const DESKTOP_IMAGES = new SqlTable<DesktopImage>('desktop_images', {
 *     id: text('id'), folderId: text('folder_id'), labels: json('labels'), createdAt: date('created_at'),
 *     status: enumeration('status', { CREATING: 1, ACTIVE: 2, DELETING: 3 }), ...
 *   }, { list: DESKTOP_IMAGE_LIST, immutable: ['id', 'folderId', 'createdAt'], blobs: ['blobSha256'] });
 *
 *   const row = await db.get(`SELECT * FROM ${t.name} WHERE id = ?`, [id]);
 *   const image = t.fromRow(row);
 */
import type { ListFields } from '../../domain/listing/list-query.js';
import { propertyOf } from '../../domain/listing/list-query.js';
import type { SqlValue } from './executor.js';

export interface Column<V> {
  readonly name: string;
  encode(value: V): SqlValue;
  decode(raw: unknown): V;
}

const column = <V>(name: string, encode: (v: V) => SqlValue, decode: (raw: unknown) => V): Column<V> => ({ name, encode, decode });

export const text = (name: string): Column<string> => column(name, (v) => v, (r) => String(r));
export const nullableText = (name: string): Column<string | null> => column(name, (v) => v, (r) => (r === null ? null : String(r)));
export const integer = (name: string): Column<number> => column(name, (v) => v, (r) => Number(r));
export const bool = (name: string): Column<boolean> => column(name, (v) => (v ? 1 : 0), (r) => Number(r) === 1);
/** Milliseconds since the epoch. */
export const date = (name: string): Column<Date> => column(name, (v) => v.getTime(), (r) => new Date(Number(r)));
export const nullableDate = (name: string): Column<Date | null> =>
  column(name, (v) => v?.getTime() ?? null, (r) => (r === null ? null : new Date(Number(r))));
/** JSON text; null stays SQL NULL. */
export const json = <V>(name: string): Column<V> =>
  column(name, (v) => (v === null || v === undefined ? null : JSON.stringify(v)), (r) => (r === null ? null : JSON.parse(String(r))) as V);
/** An enum stored as its proto number, so it sorts like the API's enum. */
export function enumeration<V extends string>(name: string, numbers: Record<V, number>): Column<V> {
  const names = new Map(Object.entries(numbers).map(([k, n]) => [n as number, k as V]));
  return column(name, (v) => numbers[v], (r) => names.get(Number(r)) ?? (Object.keys(numbers)[0] as V));
}

export type Columns<T> = { readonly [K in keyof T]-?: Column<T[K]> };

export interface TableOptions<T> {
  /** The List field table of the resource (domain), when the table is listed by folder. */
  list?: ListFields<T>;
  /** Properties an UPDATE never changes; the key always is one. */
  immutable?: readonly (keyof T & string)[];
  /** Properties that hold blob addresses (SHA-256), for blob reference counting. */
  blobs?: readonly (keyof T & string)[];
  /** The key property; default `id`. */
  key?: keyof T & string;
  /** A side table of (row key, subject id) pairs that says who owns a row, for ListQuery.ownedBy. */
  owners?: { readonly table: string; readonly key: string; readonly subject: string };
}

export class SqlTable<T> {
  readonly key: keyof T & string;
  readonly insertSql: string;
  readonly updateSql: string;
  private readonly entries: [keyof T & string, Column<unknown>][];
  private readonly mutable: (keyof T & string)[];

  constructor(readonly name: string, readonly columns: Columns<T>, readonly options: TableOptions<T> = {}) {
    this.key = options.key ?? ('id' as keyof T & string);
    this.entries = Object.entries(columns) as [keyof T & string, Column<unknown>][];
    const immutable = new Set<string>([this.key, ...(options.immutable ?? [])]);
    this.mutable = this.entries.map(([p]) => p).filter((p) => !immutable.has(p));
    const names = this.entries.map(([, c]) => c.name);
    this.insertSql = `INSERT INTO ${name} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
    this.updateSql = `UPDATE ${name} SET ${this.mutable.map((p) => `${this.col(p)} = ?`).join(', ')} WHERE ${this.col(this.key)} = ?`;
  }

  fromRow(row: Record<string, unknown>): T {
    const out: Record<string, unknown> = {};
    for (const [prop, c] of this.entries) out[prop] = c.decode(row[c.name]);
    return out as T;
  }

  insertValues(entity: T): SqlValue[] {
    return this.entries.map(([prop, c]) => c.encode(entity[prop]));
  }

  updateValues(entity: T): SqlValue[] {
    return [...this.mutable.map((p) => this.encode(p, entity)), this.encode(this.key, entity)];
  }

  /** The column behind an entity property. */
  col(prop: keyof T & string): string {
    return this.columns[prop].name;
  }

  /** The stored value of a property of `entity`, as keysets and parameters carry it. */
  encode(prop: keyof T & string, entity: T): SqlValue {
    return (this.columns[prop] as Column<unknown>).encode(entity[prop]);
  }

  /** The column of a canonical List field (`created_at` → `created_at`, via the entity property). */
  listColumn(field: string): string {
    return this.col(propertyOf(this.listFields(), field));
  }

  listFields(): ListFields<T> {
    if (!this.options.list) throw new Error(`table ${this.name} has no list fields`);
    return this.options.list;
  }

  /** The blob columns, for reference counting. */
  blobColumns(): string[] {
    return (this.options.blobs ?? []).map((p) => this.col(p));
  }
}
