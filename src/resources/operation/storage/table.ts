/**
 * Operation rows (SQLite and PostgreSQL share them). Responses are stored as JSON with their
 * dates tagged (`{"$date": "..."}`), so any resource's entity comes back with Date values.
 */
import type { LeaseState, Operation, OperationError, OperationOutcome, OperationRepo, OperationResponse } from '../../../domain/operation/operation.js';
import type { Page } from '../../../domain/listing/list-query.js';
import type { SqlExecutor } from '../../../storage/sql/executor.js';
import { toPage } from '../../../storage/sql/list-query.js';
import { SqlRepo } from '../../../storage/sql/sql-repo.js';
import { defineStorage } from '../../../storage/sql/storage-part.js';
import { bool, date, json, SqlTable, text, type Column } from '../../../storage/sql/table.js';

/** Operation responses hold entities with dates: tagged on the way in, revived on the way out. */
const response = (name: string): Column<OperationResponse | undefined> => ({
  name,
  encode: (v) => (v === undefined ? null : JSON.stringify(tagDates(v))),
  decode: (raw) => (raw === null || raw === undefined ? undefined : reviveResponse(revive(JSON.parse(String(raw))) as OperationResponse)),
});

export const OPERATIONS = new SqlTable<Operation>(
  'operations',
  {
    id: text('id'),
    description: text('description'),
    createdAt: date('created_at'),
    createdBy: text('created_by'),
    modifiedAt: date('modified_at'),
    done: bool('done'),
    metadata: json('metadata'),
    error: {
      name: 'error',
      encode: (v) => (v ? JSON.stringify(v) : null),
      decode: (raw) => (raw === null || raw === undefined ? undefined : (JSON.parse(String(raw)) as OperationError)),
    } as Column<OperationError | undefined>,
    response: response('response'),
    kind: text('kind'),
    resourceId: text('resource_id'),
    folderId: text('folder_id'),
    params: json('params'),
  },
  { immutable: ['description', 'createdAt', 'createdBy', 'metadata', 'kind', 'resourceId', 'folderId', 'params'] },
);

/** An insert that writes the lease too, so a new operation costs one statement. */
const COLUMNS = [...Object.values(OPERATIONS.columns).map((c) => c.name), 'lease_owner', 'lease_until'];
const INSERT_LEASED = `INSERT INTO operations (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`;

export class SqlOperationRepo extends SqlRepo<Operation> implements OperationRepo {
  constructor(db: SqlExecutor) {
    super(db, OPERATIONS);
  }

  override async get(id: string): Promise<Operation | undefined> {
    const op = await super.get(id);
    return op && withoutAbsent(op);
  }

  override async insert(op: Operation, lease?: { owner: string; until: Date }): Promise<void> {
    if (!lease) return void (await this.db.run(OPERATIONS.insertSql, OPERATIONS.insertValues(op)));
    await this.db.run(INSERT_LEASED, [...OPERATIONS.insertValues(op), lease.owner, lease.until.getTime()]);
  }

  async finish(id: string, result: OperationOutcome, at: Date): Promise<boolean> {
    const error = 'error' in result ? JSON.stringify(result.error) : null;
    const response = 'response' in result ? JSON.stringify(tagDates(result.response)) : null;
    // Sealed params exist only to resume the operation; a finished one has no use for them.
    const row = await this.db.get<{ params: string }>('SELECT params FROM operations WHERE id = ? AND done = 0', [id]);
    if (!row) return false;
    const { sealed: _dropped, ...params } = JSON.parse(row.params) as Record<string, unknown>;
    const n = await this.db.run(
      'UPDATE operations SET done = 1, error = ?, response = ?, modified_at = ?, params = ? WHERE id = ? AND done = 0',
      [error, response, at.getTime(), JSON.stringify(params), id],
    );
    return n > 0;
  }

  async listByResource(resourceId: string, limit: number, after?: unknown[]): Promise<Page<Operation>> {
    const rows = after
      ? await this.db.all<Record<string, unknown>>(
          `SELECT * FROM operations WHERE resource_id = ? AND (created_at < ? OR (created_at = ? AND id < ?))
           ORDER BY created_at DESC, id DESC LIMIT ?`,
          [resourceId, Number(after[0]), Number(after[0]), String(after[1]), limit + 1],
        )
      : await this.db.all<Record<string, unknown>>('SELECT * FROM operations WHERE resource_id = ? ORDER BY created_at DESC, id DESC LIMIT ?', [
          resourceId, limit + 1,
        ]);
    return toPage(rows.map(fromRow), limit, (op) => [op.createdAt.getTime(), op.id]);
  }

  async purgeFinished(before: Date): Promise<number> {
    return this.db.run('DELETE FROM operations WHERE done = 1 AND modified_at < ?', [before.getTime()]);
  }

  async claim(owner: string, now: Date, until: Date, limit: number): Promise<Operation[]> {
    // The embedded store is one process (the data dir is locked): a lease of another owner is
    // a previous run's, so it is taken at once. PostgreSQL replicas wait for it to run out.
    const rows =
      this.db.dialect === 'postgres'
        ? await this.db.all<Record<string, unknown>>(
            `UPDATE operations SET lease_owner = ?, lease_until = ? WHERE id IN (
               SELECT id FROM operations WHERE done = 0 AND (lease_until IS NULL OR lease_until < ?)
               ORDER BY created_at, id LIMIT ? FOR UPDATE SKIP LOCKED)
             RETURNING *`,
            [owner, until.getTime(), now.getTime(), limit],
          )
        : await this.db.all<Record<string, unknown>>(
            `UPDATE operations SET lease_owner = ?, lease_until = ? WHERE id IN (
               SELECT id FROM operations WHERE done = 0 AND (lease_until IS NULL OR lease_until < ? OR lease_owner IS NOT ?)
               ORDER BY created_at, id LIMIT ?)
             RETURNING *`,
            [owner, until.getTime(), now.getTime(), owner, limit],
          );
    return rows.map(fromRow).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
  }

  async renew(owner: string, ids: readonly string[], until: Date): Promise<LeaseState> {
    if (ids.length === 0) return { held: [], cancelRequested: [] };
    const rows = await this.db.all<{ id: string; cancel_requested: number }>(
      `UPDATE operations SET lease_until = ? WHERE lease_owner = ? AND done = 0 AND id IN (${ids.map(() => '?').join(', ')})
       RETURNING id, cancel_requested`,
      [until.getTime(), owner, ...ids],
    );
    return { held: rows.map((r) => r.id), cancelRequested: rows.filter((r) => Number(r.cancel_requested) !== 0).map((r) => r.id) };
  }

  async release(owner: string): Promise<void> {
    await this.db.run('UPDATE operations SET lease_until = 0 WHERE done = 0 AND lease_owner = ?', [owner]);
  }

  async requestCancel(id: string): Promise<boolean> {
    return (await this.db.run('UPDATE operations SET cancel_requested = 1 WHERE id = ? AND done = 0', [id])) > 0;
  }
}

function fromRow(row: Record<string, unknown>): Operation {
  return withoutAbsent(OPERATIONS.fromRow(row));
}

/** An operation without an error or response has no such keys at all. */
function withoutAbsent(op: Operation): Operation {
  if (op.error === undefined) delete op.error;
  if (op.response === undefined) delete op.response;
  return op;
}

function tagDates(r: OperationResponse | undefined): unknown {
  if (r === undefined) return undefined;
  const walk = (v: unknown): unknown => {
    if (v instanceof Date) return { $date: v.toISOString() };
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(r);
}

/**
 * Tagged dates back to Date values, in place. A walk after JSON.parse, not a reviver: a reviver
 * is called for every value and made decoding three times slower, on every OperationService.Get.
 */
function revive(v: unknown): unknown {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = revive(v[i]) as unknown;
    return v;
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const tagged = o['$date'];
    if (typeof tagged === 'string' && Object.keys(o).length === 1) return new Date(tagged);
    for (const k of Object.keys(o)) {
      const x = o[k];
      const r = revive(x);
      // Defined, not assigned: a key named __proto__ stays a key, as JSON.parse made it.
      if (r !== x) Object.defineProperty(o, k, { value: r, writable: true, enumerable: true, configurable: true });
    }
  }
  return v;
}

/** Rows written before dates were tagged kept them as plain strings under these names. */
const LEGACY_DATE_FIELDS = ['createdAt', 'lastAuthenticatedAt'];

function reviveResponse(r: OperationResponse): OperationResponse {
  if (!r.value || typeof r.value !== 'object') return r;
  const value = r.value as Record<string, unknown>;
  for (const f of LEGACY_DATE_FIELDS) if (typeof value[f] === 'string') value[f] = new Date(value[f] as string);
  return r;
}

export const operationStorage = defineStorage({
  track: 'operation',
  migrations: [
    {
      version: 1,
      name: 'operations',
      sql: [
        `CREATE TABLE operations (
          id TEXT PRIMARY KEY,
          description TEXT NOT NULL,
          created_at BIGINT NOT NULL,
          created_by TEXT NOT NULL,
          modified_at BIGINT NOT NULL,
          done BIGINT NOT NULL,
          metadata TEXT NOT NULL,
          error TEXT,
          response TEXT,
          kind TEXT NOT NULL,
          resource_id TEXT NOT NULL,
          folder_id TEXT NOT NULL,
          params TEXT NOT NULL
        )`,
        'CREATE INDEX operations_resource ON operations (resource_id, created_at, id)',
        'CREATE INDEX operations_unfinished ON operations (done, created_at) WHERE done = 0',
        'CREATE INDEX operations_finished ON operations (modified_at) WHERE done = 1',
      ],
    },
    {
      version: 2,
      name: 'operation leases',
      sql: [
        'ALTER TABLE operations ADD COLUMN lease_owner TEXT',
        'ALTER TABLE operations ADD COLUMN lease_until BIGINT',
        'ALTER TABLE operations ADD COLUMN cancel_requested BIGINT NOT NULL DEFAULT 0',
      ],
    },
  ],
  repos: (db) => ({ operations: new SqlOperationRepo(db) }),
  tables: [OPERATIONS],
});
