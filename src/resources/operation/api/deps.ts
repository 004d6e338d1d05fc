/** What the OperationService handlers need. */
import type { Operations } from '../../../domain/operation/operations.js';
import type { OperationWire } from '../../../api/operation-wire.js';

export interface Deps {
  readonly operations: Operations;
  readonly wire: OperationWire;
}
