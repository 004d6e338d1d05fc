/**
 * A job whose change is already committed with its Operation (a grant, a revocation, a new
 * account take effect when the RPC returns): it only ends the operation with `respond(tx, op)`,
 * and a crash before that simply resumes it.
 *
 *   [KIND.delete]: reportingJob(async () => EMPTY_RESPONSE),
 */
import type { Repos } from '../store.js';
import type { Job } from './runner.js';
import type { Operation, OperationResponse } from './operation.js';

export function reportingJob(respond: (tx: Repos, op: Operation) => Promise<OperationResponse>, rollback?: Job['rollback']): Job {
  return {
    run: async (op) => (tx) => respond(tx, op),
    rollback: rollback ?? (async () => {}),
    cancellable: false,
    onRestart: 'resume',
  };
}
