/**
 * The actions of `clouddesk iam`: each talks to a running server through ApiClient and prints
 * a JSON result on stdout (the token itself for create-token). Nothing here prints a private
 * key or a token except create-token's one line of output.
 */
import { toJson } from '@bufbuild/protobuf';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { ServiceAccountSchema } from '../../gen/yandex/cloud/iam/v1/service_account_pb.js';
import { ServiceAccountService } from '../../gen/yandex/cloud/iam/v1/service_account_service_pb.js';
import { KeyService } from '../../gen/yandex/cloud/iam/v1/key_service_pb.js';
import { Key_Algorithm } from '../../gen/yandex/cloud/iam/v1/key_pb.js';
import { IamTokenService } from '../../gen/yandex/cloud/iam/v1/iam_token_service_pb.js';
import { FolderService } from '../../gen/yandex/cloud/resourcemanager/v1/folder_service_pb.js';
import { AccessBindingAction, ListAccessBindingsResponseSchema } from '../../gen/yandex/cloud/access/access_pb.js';
import { anyUnpack } from '@bufbuild/protobuf/wkt';
import { signJwt } from '../../resources/iam-token/domain/jwt.js';
import { ApiClient, CliError } from '../shared/client.js';
import { readKeyFile, writeKeyFile } from './key-file.js';

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

export async function createServiceAccount(api: ApiClient, o: { folderId: string; name: string; description?: string }): Promise<void> {
  const op = await api.wait(await api.call(ServiceAccountService.method.create, { folderId: o.folderId, name: o.name, description: o.description ?? '' }));
  const account = op.result.case === 'response' ? anyUnpack(op.result.value, ServiceAccountSchema) : undefined;
  if (!account) throw new CliError(`operation ${op.id} returned no service account`);
  print(toJson(ServiceAccountSchema, account, { useProtoFieldName: true }));
}

export async function listServiceAccounts(api: ApiClient, o: { folderId: string }): Promise<void> {
  const out: unknown[] = [];
  let pageToken = '';
  do {
    const page = await api.call(ServiceAccountService.method.list, { folderId: o.folderId, pageToken });
    out.push(...page.serviceAccounts.map((a) => toJson(ServiceAccountSchema, a, { useProtoFieldName: true })));
    pageToken = page.nextPageToken;
  } while (pageToken !== '');
  print(out);
}

export async function createKey(
  api: ApiClient,
  o: { serviceAccountId: string; output: string; algorithm: string; description?: string },
): Promise<void> {
  const algorithm = { 'rsa-2048': Key_Algorithm.RSA_2048, 'rsa-4096': Key_Algorithm.RSA_4096 }[o.algorithm.toLowerCase()];
  if (algorithm === undefined) throw new CliError('--algorithm: rsa-2048 or rsa-4096');
  const res = await api.call(KeyService.method.create, {
    serviceAccountId: o.serviceAccountId, description: o.description ?? '', keyAlgorithm: algorithm,
  });
  const key = res.key!;
  writeKeyFile(o.output, {
    id: key.id,
    service_account_id: o.serviceAccountId,
    created_at: key.createdAt ? timestampDate(key.createdAt).toISOString() : new Date().toISOString(),
    ...(key.description ? { description: key.description } : {}),
    key_algorithm: Key_Algorithm[key.keyAlgorithm],
    public_key: key.publicKey,
    private_key: res.privateKey,
  });
  print({ id: key.id, service_account_id: o.serviceAccountId, key_algorithm: Key_Algorithm[key.keyAlgorithm], output: o.output });
}

export async function addAccessBinding(
  api: ApiClient,
  o: { folderId: string; role: string; serviceAccountId?: string; subject?: string },
): Promise<void> {
  const subject = o.serviceAccountId
    ? { id: o.serviceAccountId, type: 'serviceAccount' }
    : o.subject === 'allAuthenticatedUsers' ? { id: 'allAuthenticatedUsers', type: 'system' } : undefined;
  if (!subject) throw new CliError('give --service-account-id <id> or --subject allAuthenticatedUsers');
  const op = await api.wait(await api.call(FolderService.method.updateAccessBindings, {
    resourceId: o.folderId,
    accessBindingDeltas: [{ action: AccessBindingAction.ADD, accessBinding: { roleId: o.role, subject } }],
  }));
  print({ operation_id: op.id, folder_id: o.folderId, role_id: o.role, subject });
}

export async function listAccessBindings(api: ApiClient, o: { folderId: string }): Promise<void> {
  const out: unknown[] = [];
  let pageToken = '';
  do {
    const page = await api.call(FolderService.method.listAccessBindings, { resourceId: o.folderId, pageToken });
    const json = toJson(ListAccessBindingsResponseSchema, page, { useProtoFieldName: true }) as { access_bindings?: unknown[] };
    out.push(...(json.access_bindings ?? []));
    pageToken = page.nextPageToken;
  } while (pageToken !== '');
  print(out);
}

/** Signs a JWT with the key file as the official SDKs do and exchanges it; prints the token. */
export async function createToken(api: ApiClient, o: { keyFile: string }): Promise<void> {
  const key = readKeyFile(o.keyFile);
  let jwt: string;
  try {
    jwt = signJwt({ keyId: key.id, serviceAccountId: key.serviceAccountId, privateKey: key.privateKey }, new Date());
  } catch {
    throw new CliError(`${o.keyFile}: private_key is not a usable PEM private key`);
  }
  const res = await api.call(IamTokenService.method.create, { identity: { case: 'jwt', value: jwt } });
  process.stdout.write(`${res.iamToken}\n`);
}
