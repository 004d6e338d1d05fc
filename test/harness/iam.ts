/**
 * Service accounts, keys and tokens for IAM tests, made through the official SDK clients with
 * the bootstrap admin, and JWTs signed exactly as the SDK signs them (its own IamTokenService
 * code: jsonwebtoken, PS256, keyid, {iss, aud, iat, exp = iat + 3600}).
 *
 *   const alice = await createIdentity(admin, { name: 'alice', grants: [['f-1', 'vdi.viewer']] });
 *   const sdk = sdkFor(server, alice.token);
 */
import { createRequire } from 'node:module';
import { iam, waitDone, type SdkClients } from './sdk.js';

const require = createRequire(import.meta.url);
const { IamTokenService: SdkTokenService } = require('@yandex-cloud/nodejs-sdk/dist/token-service/iam-token-service');
export const jsonwebtoken = require('jsonwebtoken') as {
  sign(payload: object, key: string, opts: object): string;
};

export const AUDIENCE = 'https://iam.api.cloud.yandex.net/iam/v1/tokens';
/** Where test service accounts live (an ordinary folder). */
export const ACCOUNTS_FOLDER = 'iam-accounts';

export interface Identity {
  serviceAccountId: string;
  keyId: string;
  privateKey: string;
  token: string;
}

/** The JWT the official SDK would send for this key (its own signing code). */
export function sdkJwt(id: { serviceAccountId: string; keyId: string; privateKey: string }): string {
  const service = new SdkTokenService({ serviceAccountId: id.serviceAccountId, accessKeyId: id.keyId, privateKey: id.privateKey });
  return service.getJwtRequest() as string;
}

/** A JWT with chosen claims, signed with jsonwebtoken like the SDK (for negative cases). */
export function customJwt(privateKey: string, keyId: string, payload: Record<string, unknown>, algorithm = 'PS256'): string {
  return jsonwebtoken.sign(payload, privateKey, { algorithm, keyid: keyId });
}

export async function exchange(admin: SdkClients, jwt: string): Promise<string> {
  const res = await admin.iamTokens.create({ jwt });
  return res.iamToken as string;
}

/** A service account with one key, a token, and the given grants ([folderId, roleId][]). */
export async function createIdentity(
  admin: SdkClients,
  opts: { name: string; folderId?: string; grants?: [string, string][] },
): Promise<Identity> {
  const op = await waitDone(admin, await admin.serviceAccounts.create({ folderId: opts.folderId ?? ACCOUNTS_FOLDER, name: opts.name }));
  const serviceAccountId = iam.serviceAccount.ServiceAccount.decode(op.response.value).id as string;
  const created = await admin.keys.create({ serviceAccountId });
  for (const [folderId, roleId] of opts.grants ?? []) await grant(admin, folderId, roleId, serviceAccountId);
  const identity = { serviceAccountId, keyId: created.key.id as string, privateKey: created.privateKey as string };
  return { ...identity, token: await exchange(admin, sdkJwt(identity)) };
}

export async function grant(admin: SdkClients, folderId: string, roleId: string, serviceAccountId: string, action = 1): Promise<void> {
  const op = await admin.folders.updateAccessBindings({
    resourceId: folderId,
    accessBindingDeltas: [{ action, accessBinding: { roleId, subject: { id: serviceAccountId, type: 'serviceAccount' } } }],
  });
  const done = await waitDone(admin, op);
  if (done.error) throw new Error(`grant failed: ${done.error.message}`);
}
