/**
 * Operation jobs of service accounts. Create and Delete make their change in the transaction
 * that accepts the Operation, so a job only reports the outcome; after a crash it is resumed.
 */
import type { Job } from '../../../domain/operation/runner.js';
import { reportingJob } from '../../../domain/operation/reporting-job.js';
import { EMPTY_RESPONSE } from '../../../domain/operation/operation.js';
import { NotFoundError } from '../../../domain/errors.js';
import { SERVICE_ACCOUNT } from './service-account.js';

export const SERVICE_ACCOUNT_KIND = {
  create: 'iam.service-account.create',
  delete: 'iam.service-account.delete',
} as const;

export function serviceAccountJobs(): Record<string, Job> {
  return {
    [SERVICE_ACCOUNT_KIND.create]: reportingJob(
      async (tx, op) => {
        const account = await tx.serviceAccounts.get(op.resourceId);
        if (!account) throw new NotFoundError(`Service account ${op.resourceId} not found`);
        return { type: SERVICE_ACCOUNT.response!, value: account };
      },
      async (tx, op) => {
        await tx.serviceAccounts.delete(op.resourceId);
      },
    ),
    [SERVICE_ACCOUNT_KIND.delete]: reportingJob(async () => EMPTY_RESPONSE),
  };
}
