/**
 * Service account use cases: Get, List, Create, Delete. Create and Delete commit their change
 * with the Operation (done by the runner a moment later, jobs.ts). Deleting an account also
 * deletes its keys, revokes their tokens and removes its access bindings, in one transaction.
 *
 *   const op = await accounts.create({ folderId, name, description, labels }, caller);
 */
import type { Store } from '../../storage/store.js';
import type { Clock } from '../../clock.js';
import type { Caller } from '../caller.js';
import { ID_PREFIX, newId } from '../../ids.js';
import { AlreadyExistsError, NotFoundError } from '../errors.js';
import { checkFolderId } from '../folders.js';
import type { Operation } from '../operation/operation.js';
import type { OperationRunner, OperationSpec } from '../operation/runner.js';
import { listPage } from '../listing/list-request.js';
import type { Pager } from '../listing/pager.js';
import { SERVICE_ACCOUNT_FILTER_FIELDS, SERVICE_ACCOUNT_ORDER_FIELDS, type ServiceAccount } from './identities.js';
import type { IamTokens } from './tokens.js';
import type { Authorizer } from './authorizer.js';
import { IAM_KIND, serviceAccountDetails } from './jobs.js';

const PKG = 'yandex.cloud.iam.v1.';
const OPS: Record<'create' | 'delete', OperationSpec> = {
  create: { kind: IAM_KIND.createServiceAccount, idPrefix: ID_PREFIX.iam, description: 'Create service account', metadataType: `${PKG}CreateServiceAccountMetadata` },
  delete: { kind: IAM_KIND.deleteServiceAccount, idPrefix: ID_PREFIX.iam, description: 'Delete service account', metadataType: `${PKG}DeleteServiceAccountMetadata` },
};

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
    private readonly tokens: IamTokens,
    private readonly authorizer: Authorizer,
  ) {}

  async get(id: string): Promise<ServiceAccount> {
    const account = await this.store.read((tx) => tx.serviceAccounts.get(id));
    if (!account) throw new NotFoundError(`Service account ${id} not found`);
    return account;
  }

  async list(req: { folderId: string; pageSize: bigint; pageToken: string; filter: string }): Promise<{ items: ServiceAccount[]; nextPageToken: string }> {
    checkFolderId(req.folderId, 'folder_id');
    return listPage(
      this.pager,
      { ...req, orderBy: '' },
      { filterFields: SERVICE_ACCOUNT_FILTER_FIELDS, orderFields: SERVICE_ACCOUNT_ORDER_FIELDS, kind: 'service-account' },
      (q) => this.store.read((tx) => tx.serviceAccounts.list(q)),
    );
  }

  async create(input: CreateServiceAccountInput, caller: Caller): Promise<Operation> {
    checkFolderId(input.folderId, 'folder_id');
    return this.runner.submit(caller, OPS.create, async (tx) => {
      if (await tx.serviceAccounts.findByName(input.folderId, input.name)) {
        throw new AlreadyExistsError(`Service account with name ${input.name} already exists in folder ${input.folderId}`);
      }
      const account: ServiceAccount = {
        id: newId(ID_PREFIX.iam),
        ...input,
        createdAt: this.clock.now(),
        lastAuthenticatedAt: null,
      };
      await tx.serviceAccounts.insert(account);
      return {
        resourceId: account.id,
        folderId: account.folderId,
        details: serviceAccountDetails(account),
        metadataFields: { serviceAccountId: account.id },
      };
    });
  }

  async delete(id: string, caller: Caller): Promise<Operation> {
    let keyIds: string[] = [];
    const op = await this.runner.submit(caller, OPS.delete, async (tx) => {
      const account = await tx.serviceAccounts.get(id);
      if (!account) throw new NotFoundError(`Service account ${id} not found`);
      keyIds = await tx.iamKeys.deleteByServiceAccount(id);
      await tx.iamTokens.deleteBySubject(id);
      await tx.accessBindings.deleteBySubject(id);
      await tx.serviceAccounts.delete(id);
      return {
        resourceId: id,
        folderId: account.folderId,
        details: serviceAccountDetails(account),
        metadataFields: { serviceAccountId: id },
      };
    });
    this.tokens.forget({ keyIds, subjectId: id });
    this.authorizer.invalidate();
    return op;
  }
}
