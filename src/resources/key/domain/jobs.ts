/** Operation jobs of keys: Delete revokes in the accepting transaction, the job only reports. */
import type { Job } from '../../../domain/operation/runner.js';
import { reportingJob } from '../../../domain/operation/reporting-job.js';
import { EMPTY_RESPONSE } from '../../../domain/operation/operation.js';

export const KEY_KIND = { delete: 'iam.key.delete' } as const;

export function keyJobs(): Record<string, Job> {
  return { [KEY_KIND.delete]: reportingJob(async () => EMPTY_RESPONSE) };
}
