/** Operation jobs of binding changes: applied when accepted, the job reports the deltas. */
import type { Job } from '../../../domain/operation/runner.js';
import { reportingJob } from '../../../domain/operation/reporting-job.js';
import { FOLDER_BINDINGS, type AccessBindingDelta } from './access-binding.js';

export const ACCESS_BINDING_KIND = {
  set: 'access-bindings.set',
  update: 'access-bindings.update',
} as const;

export function accessBindingJobs(): Record<string, Job> {
  const report = reportingJob(async (_tx, op) => ({
    type: FOLDER_BINDINGS.response!,
    value: { effectiveDeltas: (op.params['effectiveDeltas'] ?? []) as AccessBindingDelta[] },
  }));
  return { [ACCESS_BINDING_KIND.set]: report, [ACCESS_BINDING_KIND.update]: report };
}
