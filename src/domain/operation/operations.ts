/**
 * Operation use cases: Get and Cancel (docs/decisions.md point 8), and the newest-first page of one
 * resource's operations that every ListOperations RPC answers.
 *
 *   const page = await operations.ofResource(imageId, { pageSize, pageToken });
 */
import type { Store } from '../store.js';
import type { Operation } from './operation.js';
import type { OperationRunner } from './runner.js';
import { InvalidArgumentError, NotFoundError } from '../errors.js';
import type { Pager } from '../listing/pager.js';
import { pageOf, type ListResult, type PageRequest } from '../listing/list-request.js';

export class Operations {
  constructor(private readonly store: Store, private readonly runner: OperationRunner, private readonly pager: Pager) {}

  async get(id: string): Promise<Operation> {
    const op = await this.store.read((tx) => tx.operations.get(id));
    if (!op) throw new NotFoundError(`Operation ${id} not found`);
    return op;
  }

  /** Cancels a running cancellable operation (it ends CANCELLED); a done one is FAILED_PRECONDITION. */
  async cancel(id: string): Promise<Operation> {
    const op = await this.get(id);
    await this.runner.cancel(op);
    return this.get(id);
  }

  /** The operations of one resource, newest first. The caller checks the resource exists. */
  ofResource(resourceId: string, req: PageRequest, kind: string): Promise<ListResult<Operation>> {
    // No filter grammar for operations is documented: refused rather than ignored (docs/decisions.md, Listing).
    if (req.filter?.trim()) throw InvalidArgumentError.field('filter', 'Filtering operations is not supported; leave filter empty');
    return pageOf(this.pager, { scopeId: resourceId, kind }, req, (limit, after) =>
      this.store.read((tx) => tx.operations.listByResource(resourceId, limit, after)),
    );
  }
}
