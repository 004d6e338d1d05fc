/** Operation rows, shared by the SQLite and PostgreSQL stores. */
import type { Operation, OperationError, OperationResponse } from '../../domain/operation/operation.js';
import type { OperationRepo, Page } from '../store.js';
import type { SqlExecutor } from './executor.js';
import { toPage } from './list-query.js';

interface Row {
  id: string;
  description: string;
  created_at: number;
  created_by: string;
  modified_at: number;
  done: number;
  metadata: string;
  error: string | null;
  response: string | null;
  kind: string;
  resource_id: string;
  folder_id: string;
  params: string;
}

/** JSON turned the responses' Date fields into strings; these names hold dates (or null). */
const DATE_FIELDS = ['createdAt', 'lastAuthenticatedAt'];

function reviveDates(response: OperationResponse): OperationResponse {
  if (response.type === 'google.protobuf.Empty') return response;
  const value: Record<string, unknown> = { ...response.value };
  for (const f of DATE_FIELDS) if (typeof value[f] === 'string') value[f] = new Date(value[f] as string);
  return { ...response, value } as unknown as OperationResponse;
}

function fromRow(r: Row): Operation {
  const op: Operation = {
    id: r.id,
    description: r.description,
    createdAt: new Date(Number(r.created_at)),
    createdBy: r.created_by,
    modifiedAt: new Date(Number(r.modified_at)),
    done: Number(r.done) === 1,
    metadata: JSON.parse(r.metadata) as Operation['metadata'],
    kind: r.kind,
    resourceId: r.resource_id,
    folderId: r.folder_id,
    params: JSON.parse(r.params) as Record<string, unknown>,
  };
  if (r.error) op.error = JSON.parse(r.error) as OperationError;
  if (r.response) op.response = reviveDates(JSON.parse(r.response) as OperationResponse);
  return op;
}

export class SqlOperationRepo implements OperationRepo {
  constructor(private readonly db: SqlExecutor) {}

  async get(id: string): Promise<Operation | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM operations WHERE id = ?', [id]);
    return row && fromRow(row);
  }

  async insert(op: Operation): Promise<void> {
    await this.db.run(
      `INSERT INTO operations (id, description, created_at, created_by, modified_at, done, metadata, error, response,
         kind, resource_id, folder_id, params) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        op.id, op.description, op.createdAt.getTime(), op.createdBy, op.modifiedAt.getTime(), op.done ? 1 : 0,
        JSON.stringify(op.metadata), op.error ? JSON.stringify(op.error) : null,
        op.response ? JSON.stringify(op.response) : null, op.kind, op.resourceId, op.folderId, JSON.stringify(op.params),
      ],
    );
  }

  async finish(id: string, result: { error: OperationError } | { response: OperationResponse }, at: Date): Promise<boolean> {
    const error = 'error' in result ? JSON.stringify(result.error) : null;
    const response = 'response' in result ? JSON.stringify(result.response) : null;
    const n = await this.db.run(
      'UPDATE operations SET done = 1, error = ?, response = ?, modified_at = ? WHERE id = ? AND done = 0',
      [error, response, at.getTime(), id],
    );
    return n > 0;
  }

  async listUnfinished(): Promise<Operation[]> {
    return (await this.db.all<Row>('SELECT * FROM operations WHERE done = 0 ORDER BY created_at, id')).map(fromRow);
  }

  async listByResource(resourceId: string, limit: number, after?: unknown[]): Promise<Page<Operation>> {
    const rows = after
      ? await this.db.all<Row>(
          `SELECT * FROM operations WHERE resource_id = ? AND (created_at < ? OR (created_at = ? AND id < ?))
           ORDER BY created_at DESC, id DESC LIMIT ?`,
          [resourceId, Number(after[0]), Number(after[0]), String(after[1]), limit + 1],
        )
      : await this.db.all<Row>(
          'SELECT * FROM operations WHERE resource_id = ? ORDER BY created_at DESC, id DESC LIMIT ?',
          [resourceId, limit + 1],
        );
    return toPage(rows.map(fromRow), limit, (op) => [op.createdAt.getTime(), op.id]);
  }

  async purgeFinished(before: Date): Promise<number> {
    return this.db.run('DELETE FROM operations WHERE done = 1 AND modified_at < ?', [before.getTime()]);
  }
}
