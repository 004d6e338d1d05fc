/**
 * A stored long-running operation and its repository port. The domain keeps metadata and
 * results as plain records: `response.type` is the full name of the message the operation
 * returns (declared by the resource's descriptor), and api/operation-wire.ts packs it into
 * google.protobuf.Any with the wire binding the resource registered for that name.
 */
import type { FieldViolation } from '../errors.js';
import type { Page } from '../listing/list-query.js';

export interface OperationError {
  code: number;
  message: string;
  violations?: FieldViolation[];
}

/** What a successful operation returns: a resource (by its message name) or Empty. */
export interface OperationResponse {
  type: string;
  value?: unknown;
}

export const EMPTY_RESPONSE: OperationResponse = Object.freeze({ type: 'google.protobuf.Empty' });

export interface Operation {
  id: string;
  description: string;
  createdAt: Date;
  createdBy: string;
  modifiedAt: Date;
  done: boolean;
  /** Full proto name of the metadata message and its fields (proto JSON names). */
  metadata: { type: string; fields: Record<string, string> };
  error?: OperationError;
  response?: OperationResponse;
  /** Job that advances it (see runner.ts). */
  kind: string;
  /** The resource it acts on and that resource's folder (for listing and authorization). */
  resourceId: string;
  folderId: string;
  /** Job input, kept so an interrupted job can be resumed. */
  params: Record<string, unknown>;
}

export type OperationOutcome = { response: OperationResponse } | { error: OperationError };

/** The operation as finishing leaves it (OperationRepo.finish): done at `at`, with its outcome, without `params.sealed`. */
export function finishedOperation(op: Operation, outcome: OperationOutcome, at: Date): Operation {
  const { sealed: _dropped, ...params } = op.params;
  return { ...op, done: true, modifiedAt: at, params, ...outcome };
}

export interface OperationRepo {
  get(id: string): Promise<Operation | undefined>;
  /** With `lease`, the new operation's lease goes in with it (the runner's; see leases.ts). */
  insert(op: Operation, lease?: { owner: string; until: Date }): Promise<void>;
  /** Marks the operation done and drops `params.sealed` (secrets kept only to resume it). */
  finish(id: string, result: OperationOutcome, at: Date): Promise<boolean>;
  /** Newest first, keyset by (created_at, id). */
  listByResource(resourceId: string, limit: number, after?: unknown[]): Promise<Page<Operation>>;
  /** Removes operations that ended before `before`; returns how many. */
  purgeFinished(before: Date): Promise<number>;

  // Leases (runner.ts): the replica that advances an unfinished operation, and until when.
  /**
   * Takes the leases of up to `limit` unfinished operations whose lease ran out (or that have
   * none), skipping rows another replica is claiming at this moment; returns them.
   */
  claim(owner: string, now: Date, until: Date, limit: number): Promise<Operation[]>;
  /** Extends the owner's live leases; says which it still holds and which a Cancel asked to stop. */
  renew(owner: string, ids: readonly string[], until: Date): Promise<LeaseState>;
  /** Ends all the owner's leases now (shutdown), so another replica takes the operations over. */
  release(owner: string): Promise<void>;
  /** Marks an unfinished operation for cancelling by whichever replica runs it. */
  requestCancel(id: string): Promise<boolean>;
}

export interface LeaseState {
  held: string[];
  cancelRequested: string[];
}

declare module '../store.js' {
  interface Repos {
    operations: OperationRepo;
  }
}
