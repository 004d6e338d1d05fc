/**
 * The store: every write goes through `transact`, every read through `read`. Repositories are
 * written once over `SqlExecutor` (storage/sql/), so SQLite and PostgreSQL share the queries.
 *
 *   const image = await store.read((tx) => tx.desktopImages.get(id));
 *   await store.transact(async (tx) => {
 *     await tx.desktopImages.insert(image);
 *     await tx.operations.insert(op);          // commits together, or not at all
 *   });
 */
import type { DesktopImage } from '../domain/desktop-image/desktop-image.js';
import type { ComputeImage } from '../domain/compute-image/compute-image.js';
import type { Operation, OperationError, OperationResponse } from '../domain/operation/operation.js';
import type { FilterCondition } from '../domain/listing/filter.js';
import type { OrderKey } from '../domain/listing/order-by.js';
import type { IamRepos } from './iam-store.js';
import type { AuditRepos } from './audit-store.js';

export interface ListQuery {
  folderId: string;
  filter: FilterCondition[];
  /** Ends with the id tiebreaker. */
  order: OrderKey[];
  /** Sort-key values of the last row of the previous page, in `order`. */
  after?: unknown[];
  limit: number;
}

export interface Page<T> {
  items: T[];
  /** Sort-key values of the last item when more rows follow. */
  last?: unknown[];
}

export interface DesktopImageRepo {
  get(id: string): Promise<DesktopImage | undefined>;
  list(q: ListQuery): Promise<Page<DesktopImage>>;
  insert(image: DesktopImage): Promise<void>;
  /** Replaces the mutable fields; returns false when the row is gone. */
  update(image: DesktopImage): Promise<boolean>;
  delete(id: string): Promise<boolean>;
  countInFolder(folderId: string): Promise<{ count: number; storageSize: number }>;
}

export interface ComputeImageRepo {
  get(id: string): Promise<ComputeImage | undefined>;
  list(q: ListQuery): Promise<Page<ComputeImage>>;
  findByName(folderId: string, name: string): Promise<ComputeImage | undefined>;
  latestByFamily(folderId: string, family: string): Promise<ComputeImage | undefined>;
  insert(image: ComputeImage): Promise<void>;
  update(image: ComputeImage): Promise<boolean>;
  delete(id: string): Promise<boolean>;
}

export interface OperationRepo {
  get(id: string): Promise<Operation | undefined>;
  insert(op: Operation): Promise<void>;
  finish(id: string, result: { error: OperationError } | { response: OperationResponse }, at: Date): Promise<boolean>;
  /** Operations that are not done, oldest first (resumed at start-up). */
  listUnfinished(): Promise<Operation[]>;
  listByResource(resourceId: string, limit: number, after?: unknown[]): Promise<Page<Operation>>;
  /** Removes operations that ended before `before`; returns how many. */
  purgeFinished(before: Date): Promise<number>;
}

export interface PageCursorRepo {
  save(token: string, scope: string, last: unknown[], expiresAt: Date): Promise<void>;
  load(token: string, now: Date): Promise<{ scope: string; last: unknown[] } | undefined>;
  purgeExpired(now: Date): Promise<number>;
}

export interface BlobRefRepo {
  /** True when any image still references the blob. */
  isReferenced(sha256: string): Promise<boolean>;
  allReferenced(): Promise<Set<string>>;
}

export interface Repos extends IamRepos, AuditRepos {
  desktopImages: DesktopImageRepo;
  computeImages: ComputeImageRepo;
  operations: OperationRepo;
  pageCursors: PageCursorRepo;
  blobRefs: BlobRefRepo;
}

export interface Store {
  read<T>(fn: (tx: Repos) => Promise<T>): Promise<T>;
  transact<T>(fn: (tx: Repos) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
