/**
 * Authorized keys: Create generates an RSA key pair and returns the PKCS#8 private key once
 * (it is never stored); Get and List return the public half; Delete removes the key and
 * revokes every token issued for it, in one transaction, and drops them from the token cache.
 *
 *   const { key, privateKey } = await keys.create({ serviceAccountId, description, algorithm }, caller);
 */
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import type { Store } from '../../../domain/store.js';
import type { Clock } from '../../../clock.js';
import type { Caller } from '../../../domain/caller.js';
import { idFor } from '../../../domain/resource.js';
import { InvalidArgumentError, NotFoundError } from '../../../domain/errors.js';
import type { Operation } from '../../../domain/operation/operation.js';
import type { OperationRunner, OperationSpec } from '../../../domain/operation/runner.js';
import type { Pager } from '../../../domain/listing/pager.js';
import { pageOf, type ListResult, type PageRequest } from '../../../domain/listing/list-request.js';
import type { ChangeRecorder } from '../../../domain/audit/audit-log.js';
import type { TokenRevocation } from '../../../domain/iam/token-revocation.js';
import { KEY, keyDetails, type AuthorizedKey, type KeyAlgorithm } from './key.js';
import { KEY_KIND } from './jobs.js';

const generate = promisify(generateKeyPair);

const OPS: Record<'deleteKey', OperationSpec> = {
  deleteKey: { kind: KEY_KIND.delete, resource: KEY, description: 'Delete key', metadataType: 'yandex.cloud.iam.v1.DeleteKeyMetadata', metadataId: 'keyId' },
};

const BITS: Record<KeyAlgorithm, number> = { RSA_2048: 2048, RSA_4096: 4096 };

export class Keys {
  constructor(
    private readonly store: Store,
    private readonly runner: OperationRunner,
    private readonly pager: Pager,
    private readonly clock: Clock,
    private readonly tokens: TokenRevocation,
    private readonly recordChange: ChangeRecorder = async () => {},
  ) {}

  async get(id: string): Promise<AuthorizedKey> {
    const key = await this.store.read((tx) => tx.iamKeys.get(id));
    if (!key) throw new NotFoundError(`Key ${id} not found`);
    return key;
  }

  async list(serviceAccountId: string, req: PageRequest): Promise<ListResult<AuthorizedKey>> {
    await this.accountOf(serviceAccountId);
    return pageOf(this.pager, { scopeId: serviceAccountId, kind: 'keys' }, req, (limit, after) =>
      this.store.read((tx) => tx.iamKeys.listByServiceAccount(serviceAccountId, limit, after)),
    );
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
      id: idFor(KEY),
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
    return this.runner.submit(caller, OPS.deleteKey, async (tx) => {
      const key = await tx.iamKeys.get(id);
      if (!key) throw new NotFoundError(`Key ${id} not found`);
      const account = await tx.serviceAccounts.get(key.serviceAccountId);
      await tx.iamKeys.delete(id);
      await tx.iamTokens.deleteByKey(id);
      await this.tokens.announce(tx, { keyIds: [id] });
      const folderId = account?.folderId ?? '';
      return { resourceId: id, folderId, details: keyDetails(key, folderId) };
    });
  }

  private async accountOf(serviceAccountId: string): Promise<void> {
    if (serviceAccountId === '') throw InvalidArgumentError.field('service_account_id', 'Field is required');
    const account = await this.store.read((tx) => tx.serviceAccounts.get(serviceAccountId));
    if (!account) throw new NotFoundError(`Service account ${serviceAccountId} not found`);
  }
}
