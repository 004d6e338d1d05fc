/**
 * Authorized keys: Create generates an RSA key pair and returns the PKCS#8 private key once
 * (it is never stored); Get and List return the public half; Delete removes the key and
 * revokes every token issued for it, in one transaction, and drops them from the token cache.
 *
 *   const { key, privateKey } = await keys.create({ serviceAccountId, description, algorithm }, caller);
 */
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import type { Repos, Store } from '../../storage/store.js';
import type { Clock } from '../../clock.js';
import type { Caller } from '../caller.js';
import { ID_PREFIX, newId } from '../../ids.js';
import { InvalidArgumentError, NotFoundError } from '../errors.js';
import type { Operation } from '../operation/operation.js';
import type { OperationRunner, OperationSpec } from '../operation/runner.js';
import { Pager } from '../listing/pager.js';
import { pageScope } from '../listing/page-scope.js';
import type { AuthorizedKey, KeyAlgorithm } from './identities.js';
import type { IamTokens } from './tokens.js';
import { IAM_KIND, keyDetails } from './jobs.js';

const generate = promisify(generateKeyPair);
const OPS: Record<'deleteKey', OperationSpec> = {
  deleteKey: { kind: IAM_KIND.deleteKey, idPrefix: ID_PREFIX.iam, description: 'Delete key', metadataType: 'yandex.cloud.iam.v1.DeleteKeyMetadata' },
};

/** Records a change that has no Operation inside its transaction (the audit log, sections 3-4). */
export type ChangeRecorder = (
  tx: Repos,
  caller: Caller,
  change: { folderId: string; details: Record<string, unknown>; response?: Record<string, unknown> },
) => Promise<void>;
const BITS: Record<KeyAlgorithm, number> = { RSA_2048: 2048, RSA_4096: 4096 };

export class Keys {
  constructor(
    private readonly store: Store,
    private readonly runner: OperationRunner,
    private readonly pager: Pager,
    private readonly clock: Clock,
    private readonly tokens: IamTokens,
    private readonly recordChange: ChangeRecorder = async () => {},
  ) {}

  async get(id: string): Promise<AuthorizedKey> {
    const key = await this.store.read((tx) => tx.iamKeys.get(id));
    if (!key) throw new NotFoundError(`Key ${id} not found`);
    return key;
  }

  async list(serviceAccountId: string, pageSize: bigint, pageToken: string): Promise<{ items: AuthorizedKey[]; nextPageToken: string }> {
    await this.accountOf(serviceAccountId);
    const limit = Pager.pageSize(pageSize);
    const scope = pageScope({ folderId: serviceAccountId, filter: [], order: [], extra: 'keys' });
    const after = await this.pager.resolve(pageToken, scope);
    const page = await this.store.read((tx) => tx.iamKeys.listByServiceAccount(serviceAccountId, limit, after));
    return { items: page.items, nextPageToken: await this.pager.issue(scope, page.last) };
  }

  /** Synchronous (no Operation, wire-contract.md 16 item 4); `caller` is there for audit. */
  async create(
    input: { serviceAccountId: string; description: string; algorithm: KeyAlgorithm },
    caller: Caller,
  ): Promise<{ key: AuthorizedKey; privateKey: string }> {
    await this.accountOf(input.serviceAccountId);
    const pair = await generate('rsa', {
      modulusLength: BITS[input.algorithm],
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const key: AuthorizedKey = {
      id: newId(ID_PREFIX.iam),
      serviceAccountId: input.serviceAccountId,
      description: input.description,
      algorithm: input.algorithm,
      publicKey: pair.publicKey,
      createdAt: this.clock.now(),
      lastUsedAt: null,
    };
    await this.store.transact(async (tx) => {
      // The account may have been deleted while the key pair was generated.
      const account = await tx.serviceAccounts.get(key.serviceAccountId);
      if (!account) throw new NotFoundError(`Service account ${key.serviceAccountId} not found`);
      await tx.iamKeys.insert(key);
      // Never the private key: only which key was made.
      await this.recordChange(tx, caller, { folderId: account.folderId, details: keyDetails(key, account.folderId), response: { key_id: key.id } });
    });
    return { key, privateKey: pair.privateKey };
  }

  async delete(id: string, caller: Caller): Promise<Operation> {
    const op = await this.runner.submit(caller, OPS.deleteKey, async (tx) => {
      const key = await tx.iamKeys.get(id);
      if (!key) throw new NotFoundError(`Key ${id} not found`);
      const account = await tx.serviceAccounts.get(key.serviceAccountId);
      await tx.iamKeys.delete(id);
      await tx.iamTokens.deleteByKey(id);
      const folderId = account?.folderId ?? '';
      return { resourceId: id, folderId, details: keyDetails(key, folderId), metadataFields: { keyId: id } };
    });
    this.tokens.forget({ keyIds: [id] });
    return op;
  }

  private async accountOf(serviceAccountId: string): Promise<void> {
    if (serviceAccountId === '') throw InvalidArgumentError.field('service_account_id', 'Field is required');
    const account = await this.store.read((tx) => tx.serviceAccounts.get(serviceAccountId));
    if (!account) throw new NotFoundError(`Service account ${serviceAccountId} not found`);
  }
}
