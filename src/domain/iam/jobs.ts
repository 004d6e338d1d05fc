/**
 * Operation jobs of the IAM mutations. Each use case makes its change in the transaction that
 * accepts the Operation (a grant or a revocation takes effect when the RPC returns), so a job
 * only reports the outcome; after a crash it is simply resumed.
 *
 *   registerIamJobs(runner);
 */
import type { Repos } from '../../storage/store.js';
import type { Job, OperationRunner } from '../operation/runner.js';
import type { Operation, OperationResponse } from '../operation/operation.js';
import { NotFoundError } from '../errors.js';
import type { AccessBindingDelta, AuthorizedKey, ServiceAccount } from './identities.js';

export const IAM_KIND = {
  createServiceAccount: 'iam.service-account.create',
  deleteServiceAccount: 'iam.service-account.delete',
  deleteKey: 'iam.key.delete',
  setAccessBindings: 'access-bindings.set',
  updateAccessBindings: 'access-bindings.update',
} as const;

/** A job whose change is already committed: it ends with `respond(tx, op)`. */
function reporting(respond: (tx: Repos, op: Operation) => Promise<OperationResponse>, rollback?: Job['rollback']): Job {
  return {
    run: async (op) => (tx) => respond(tx, op),
    rollback: rollback ?? (async () => {}),
    cancellable: false,
    onRestart: 'resume',
  };
}

const EMPTY: OperationResponse = { type: 'google.protobuf.Empty' };

export function registerIamJobs(runner: OperationRunner): void {
  runner.register(
    IAM_KIND.createServiceAccount,
    reporting(
      async (tx, op) => {
        const account = await tx.serviceAccounts.get(op.resourceId);
        if (!account) throw new NotFoundError(`Service account ${op.resourceId} not found`);
        return { type: 'yandex.cloud.iam.v1.ServiceAccount', value: account };
      },
      async (tx, op) => {
        await tx.serviceAccounts.delete(op.resourceId);
      },
    ),
  );
  runner.register(IAM_KIND.deleteServiceAccount, reporting(async () => EMPTY));
  runner.register(IAM_KIND.deleteKey, reporting(async () => EMPTY));
  const bindingsResult = reporting(async (_tx, op) => ({
    type: 'yandex.cloud.access.AccessBindingsOperationResult',
    value: { effectiveDeltas: (op.params['effectiveDeltas'] ?? []) as AccessBindingDelta[] },
  }));
  runner.register(IAM_KIND.setAccessBindings, bindingsResult);
  runner.register(IAM_KIND.updateAccessBindings, bindingsResult);
}

/** Audit `details` of the IAM events. */
export function serviceAccountDetails(a: Pick<ServiceAccount, 'id' | 'name' | 'folderId'>): Record<string, unknown> {
  return { service_account_id: a.id, service_account_name: a.name, folder_id: a.folderId };
}

export function keyDetails(k: Pick<AuthorizedKey, 'id' | 'serviceAccountId'>, folderId: string): Record<string, unknown> {
  return { key_id: k.id, service_account_id: k.serviceAccountId, folder_id: folderId };
}

export function accessBindingDetails(folderId: string, deltas: AccessBindingDelta[]): Record<string, unknown> {
  return {
    folder_id: folderId,
    access_binding_deltas: deltas.map((d) => ({
      action: d.action,
      access_binding: { role_id: d.binding.roleId, subject: { id: d.binding.subjectId, type: d.binding.subjectType } },
    })),
  };
}
