/**
 * Operations as a resource of OperationService: an operation lives in the folder of what it
 * acts on, belongs to that resource's permission family (found from its kind) and to whoever
 * started it: a desktop's user who restarts it may follow the operation (docs/decisions.md
 * point 21).
 */
import type { ResourceDescriptor } from '../../../domain/resource.js';

export const OPERATION: ResourceDescriptor<never> = {
  kind: 'operation',
  label: 'operation',
  idPrefix: 'e3v',
  family: null,
  async locate(tx, id) {
    const op = await tx.operations.get(id);
    return op && { folderId: op.folderId, operationKind: op.kind, resourceId: op.resourceId, owners: [op.createdBy] };
  },
};
