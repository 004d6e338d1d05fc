/**
 * Service account use cases: Get, List, Create, Delete. Create and Delete commit their change
 * with the Operation (done by the runner a moment later, jobs.ts). Deleting an account also
 * deletes its keys, revokes their tokens and removes its access bindings, in one transaction.
 *
 *   const op = await accounts.create({ folderId, name, description, labels }, caller);
 */
import type { Store } from '../../../domain/store.js';
import type { Clock } from '../../../clock.js';
import type { Caller } from '../../../domain/caller.js';
import { idFor } from '../../../domain/resource.js';
import { AlreadyExistsError, NotFoundError } from '../../../domain/errors.js';
import { checkFolderId } from '../../../domain/folders.js';
import type { Operation } from '../../../domain/operation/operation.js';
import type { OperationRunner, OperationSpec } from '../../../domain/operation/runner.js';
import { listPage, type ListRequest, type ListResult } from '../../../domain/listing/list-request.js';
import type { Pager } from '../../../domain/listing/pager.js';
import type { Authorizer } from '../../../domain/iam/authorizer.js';
import type { TokenRevocation } from '../../../domain/iam/token-revocation.js';
import { SERVICE_ACCOUNT, SERVICE_ACCOUNT_LIST, type ServiceAccount } from './service-account.js';
import { SERVICE_ACCOUNT_KIND } from './jobs.js';

const PKG = 'yandex.cloud.iam.v1.';
const spec = (kind: string, description: string, metadata: string): OperationSpec => ({
  kind, description, resource: SERVICE_ACCOUNT, metadataType: `${PKG}${metadata}`, metadataId: 'serviceAccountId',
});
const OPS = {
  create: spec(SERVICE_ACCOUNT_KIND.create, 'Create service account', 'CreateServiceAccountMetadata'),
  delete: spec(SERVICE_ACCOUNT_KIND.delete, 'Delete service account', 'DeleteServiceAccountMetadata'),
};
const details = (a: ServiceAccount) => SERVICE_ACCOUNT.details!(a);

export interface CreateServiceAccountInput {
  folderId: string;
  name: string;
  description: string;
  labels: Record<string, string>;
}

export class ServiceAccounts {
  constructor(
    private readonly store: Store,
    private readonly runner: OperationRunner,
    private readonly pager: Pager,
    private readonly clock: Clock,
    private readonly tokens: TokenRevocation,
    private readonly authorizer: Authorizer,
  ) {}

  async get(id: string): Promise<ServiceAccount> {
    const account = await this.store.read((tx) => tx.serviceAccounts.get(id));
    if (!account) throw new NotFoundError(`Service account ${id} not found`);
    return account;
  }

  /** The API has no order_by here: the default order. */
  async list(req: ListRequest): Promise<ListResult<ServiceAccount>> {
    checkFolderId(req.folderId, 'folder_id');
    return listPage(this.pager, { ...req, orderBy: '' }, SERVICE_ACCOUNT_LIST, (q) => this.store.read((tx) => tx.serviceAccounts.list(q)));
  }

  async create(input: CreateServiceAccountInput, caller: Caller): Promise<Operation> {
    checkFolderId(input.folderId, 'folder_id');
    return this.runner.submit(caller, OPS.create, async (tx) => {
      if (await tx.serviceAccounts.findByName(input.folderId, input.name)) {
        throw new AlreadyExistsError(`Service account with name ${input.name} already exists in folder ${input.folderId}`);
      }
      const account: ServiceAccount = {
        id: idFor(SERVICE_ACCOUNT),
        ...input,
        createdAt: this.clock.now(),
        lastAuthenticatedAt: null,
      };
      await tx.serviceAccounts.insert(account);
      return {
        resourceId: account.id,
        folderId: account.folderId,
        details: details(account),
      };
    });
  }

  async delete(id: string, caller: Caller): Promise<Operation> {
    return this.runner.submit(caller, OPS.delete, async (tx) => {
      const account = await tx.serviceAccounts.get(id);
      if (!account) throw new NotFoundError(`Service account ${id} not found`);
      const keyIds = await tx.iamKeys.deleteByServiceAccount(id);
      await tx.iamTokens.deleteBySubject(id);
      await tx.accessBindings.deleteBySubject(id);
      await tx.serviceAccounts.delete(id);
      await this.tokens.announce(tx, { keyIds, subjectId: id });
      await this.authorizer.announce(tx);
      return {
        resourceId: id,
        folderId: account.folderId,
        details: details(account),
      };
    });
  }
}
