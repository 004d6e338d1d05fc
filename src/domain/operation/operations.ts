/** Operation use cases: Get and Cancel (decisions.md point 8). */
import type { Store } from '../../storage/store.js';
import type { Operation } from './operation.js';
import type { OperationRunner } from './runner.js';
import { NotFoundError } from '../errors.js';

export class Operations {
  constructor(private readonly store: Store, private readonly runner: OperationRunner) {}

  async get(id: string): Promise<Operation> {
    const op = await this.store.read((tx) => tx.operations.get(id));
    if (!op) throw new NotFoundError(`Operation ${id} not found`);
    return op;
  }

  /** Cancels a running Copy or import (it ends CANCELLED); a done operation is FAILED_PRECONDITION. */
  async cancel(id: string): Promise<Operation> {
    const op = await this.get(id);
    await this.runner.cancel(op);
    return this.get(id);
  }
}
