/**
 * The main errors of the IAM and Resource Manager RPCs over REST, in the form of route-errors.ts:
 * 400 naming the field, 404 for an unknown id, 401 without a credential, 403 where the
 * authorization table (src/api/authz/table.ts) asks for a role the caller lacks. The checks run
 * in the order authentication, validation, authorization, handler, so a declared RPC that is
 * not served still answers 401, 400 and 403, and 501 for an unknown id (there is no handler to
 * look it up).
 *
 *   [`${SA}/Get`]: (fx) => [notFound({ serviceAccountId: NO_ACCOUNT }, `Service account ${NO_ACCOUNT} not found`)]
 */
import { AUDIENCE, customJwt } from '../harness/iam.js';
import type { Fixtures } from './route-cases.js';
import { anonymous, denied, invalid, notFound, unserved, type ExpectedError } from './route-errors.js';

const TOKENS = '/yandex.cloud.iam.v1.IamTokenService';
const SA = '/yandex.cloud.iam.v1.ServiceAccountService';
const KEYS = '/yandex.cloud.iam.v1.KeyService';
const ROLES = '/yandex.cloud.iam.v1.RoleService';
const FOLDERS = '/yandex.cloud.resourcemanager.v1.FolderService';
const NO_ACCOUNT = 'ajenothere0000000000';
const NO_KEY = 'ajenokey000000000000';
const TOO_LONG_ID = 'a'.repeat(51);
const BAD_FOLDER = 'Bad_Folder';
const INSTALLATION_ONLY = /^Permission denied: only the bootstrap credential may do this$/;

const account = (id: string) => ({ id, type: 'serviceAccount' });
const add = (roleId: string, subject: { id: string; type: string }) => ({ action: 'ADD', accessBinding: { roleId, subject } });
/** The JWT claims the SDK signs, issued `age` seconds ago. */
const claims = (iss: string, age = 0) => {
  const iat = Math.floor(Date.now() / 1000) - age;
  return { iss, aud: AUDIENCE, iat, exp: iat + 3600 };
};
const anonymousToken = (e: ExpectedError): ExpectedError => ({ ...e, token: null });

export const iamErrors: Record<string, (fx: Fixtures) => ExpectedError[]> = {
  // Public: the JWT is the credential, so an anonymous caller gets validation errors and a bad JWT is 401.
  [`${TOKENS}/Create`]: (fx) => [
    anonymousToken(invalid({}, 'identity', /Exactly one of yandex_passport_oauth_token, jwt must be set/)),
    // Only JSON can set two members of the oneof; the 400 names it like every other violation.
    anonymousToken(invalid({ jwt: 'a.b.c', yandexPassportOauthToken: 'y0_abc' }, 'identity', /Oneof set multiple times by jwt and yandex_passport_oauth_token/)),
    anonymousToken(invalid({ yandexPassportOauthToken: 'y0_abc' }, 'yandex_passport_oauth_token', /Yandex account OAuth tokens are not supported; sign a service account JWT/)),
    anonymousToken(invalid({ jwt: 'j'.repeat(8001) }, 'jwt', /Length must be less than or equal to 8000/)),
    { request: { jwt: 'abc.def' }, token: null, status: 401, code: 16, message: /^Invalid JWT: not a compact JWS \(header\.payload\.signature\)$/ },
    {
      request: { jwt: customJwt(fx.privateKey, fx.key.id, claims(fx.serviceAccount.id, 7200)) },
      token: null, status: 401, code: 16, message: /^Invalid JWT: the JWT has expired$/,
    },
    {
      request: { jwt: customJwt(fx.privateKey, NO_KEY, claims(fx.serviceAccount.id)) },
      token: null, status: 401, code: 16, message: /^Invalid JWT: the signature does not verify with an active key of the issuer$/,
    },
  ],
  [`${TOKENS}/CreateForServiceAccount`]: (fx) => [
    invalid({}, 'service_account_id', /Field is required/),
    anonymous({ serviceAccountId: fx.serviceAccount.id }),
    denied({ serviceAccountId: fx.serviceAccount.id }, fx.viewer, `service account ${fx.serviceAccount.id}`),
    unserved(`${TOKENS}/CreateForServiceAccount`, { serviceAccountId: NO_ACCOUNT }),
  ],
  // Any credential may call it: the outsider reaches the missing handler.
  [`${TOKENS}/Revoke`]: (fx) => [
    invalid({}, 'iam_token', /Field is required/),
    invalid({ iamToken: 't'.repeat(4097) }, 'iam_token', /Length must be less than or equal to 4096/),
    anonymous({ iamToken: 't1.unknown.token' }),
    unserved(`${TOKENS}/Revoke`, { iamToken: 't1.unknown.token' }, fx.outsider),
  ],

  [`${SA}/Get`]: (fx) => [
    notFound({ serviceAccountId: NO_ACCOUNT }, `Service account ${NO_ACCOUNT} not found`),
    invalid({ serviceAccountId: TOO_LONG_ID }, 'service_account_id', /Length must be less than or equal to 50/),
    anonymous({ serviceAccountId: fx.serviceAccount.id }),
    denied({ serviceAccountId: fx.serviceAccount.id }, fx.outsider, `service account ${fx.serviceAccount.id}`),
  ],
  [`${SA}/List`]: (fx) => [
    invalid({}, 'folder_id', /Field is required/),
    invalid({ folderId: BAD_FOLDER }, 'folder_id', /Value must match the pattern \[a-z0-9-\]\{1,50\}/),
    invalid({ folderId: fx.folder, pageSize: '1001' }, 'page_size', /Value must be in range 0-1000/),
    invalid({ folderId: fx.folder, filter: 'id = "x"' }, 'filter', /unknown field "id"; only name can be filtered/),
    invalid({ folderId: fx.folder, pageToken: 'garbage' }, 'page_token', /Invalid or expired page token.*/),
    anonymous({ folderId: fx.folder }),
    denied({ folderId: fx.folder }, fx.outsider, `folder ${fx.folder}`),
  ],
  [`${SA}/Create`]: (fx) => [
    invalid({ folderId: fx.folder }, 'name', /Field is required/),
    invalid({ folderId: fx.folder, name: 'Upper' }, 'name', /Value must match the pattern \[a-z\]\(\[-a-z0-9\]\{0,61\}\[a-z0-9\]\)\?/),
    invalid({ folderId: fx.folder, name: 'x', labels: { Bad: 'x' } }, 'labels', /key "Bad": Value must match the pattern \[a-z\]\[-_0-9a-z\]\*/),
    invalid({ folderId: BAD_FOLDER, name: 'x' }, 'folder_id', /Value must match the pattern \[a-z0-9-\]\{1,50\}/),
    {
      request: { folderId: fx.folder, name: fx.serviceAccount.name }, status: 409, code: 6,
      message: new RegExp(`^Service account with name ${fx.serviceAccount.name} already exists in folder ${fx.folder}$`),
    },
    anonymous({ folderId: fx.folder, name: 'x' }),
    denied({ folderId: fx.folder, name: 'x' }, fx.viewer, `folder ${fx.folder}`),
  ],
  [`${SA}/Update`]: (fx) => [
    invalid({ serviceAccountId: fx.serviceAccount.id, updateMask: 'description', description: 'd' }, 'name', /Field is required/),
    anonymous({ serviceAccountId: fx.serviceAccount.id, name: 'x' }),
    denied({ serviceAccountId: fx.serviceAccount.id, name: 'x' }, fx.viewer, `service account ${fx.serviceAccount.id}`),
    unserved(`${SA}/Update`, { serviceAccountId: NO_ACCOUNT, name: 'x' }),
  ],
  [`${SA}/Delete`]: (fx) => [
    notFound({ serviceAccountId: NO_ACCOUNT }, `Service account ${NO_ACCOUNT} not found`),
    anonymous({ serviceAccountId: fx.serviceAccount.id }),
    denied({ serviceAccountId: fx.serviceAccount.id }, fx.viewer, `service account ${fx.serviceAccount.id}`),
  ],
  [`${SA}/ListAccessBindings`]: (fx) => [
    invalid({ resourceId: 'r'.repeat(65) }, 'resource_id', /Length must be less than or equal to 64/),
    anonymous({ resourceId: fx.serviceAccount.id }),
    denied({ resourceId: fx.serviceAccount.id }, fx.outsider, `service account ${fx.serviceAccount.id}`),
    unserved(`${SA}/ListAccessBindings`, { resourceId: NO_ACCOUNT }),
  ],
  [`${SA}/SetAccessBindings`]: (fx) => [
    invalid({ resourceId: fx.serviceAccount.id, accessBindings: [{ roleId: 'viewer' }] }, 'access_bindings[0].subject', /Field is required/),
    anonymous({ resourceId: fx.serviceAccount.id, accessBindings: [] }),
    denied({ resourceId: fx.serviceAccount.id, accessBindings: [] }, fx.viewer, `service account ${fx.serviceAccount.id}`),
    unserved(`${SA}/SetAccessBindings`, { resourceId: NO_ACCOUNT, accessBindings: [] }),
  ],
  [`${SA}/UpdateAccessBindings`]: (fx) => [
    invalid({ resourceId: fx.serviceAccount.id, accessBindingDeltas: [] }, 'access_binding_deltas', /Size must be in range 1-1000/),
    anonymous({ resourceId: fx.serviceAccount.id, accessBindingDeltas: [add('viewer', account(fx.serviceAccount.id))] }),
    denied({ resourceId: fx.serviceAccount.id, accessBindingDeltas: [add('viewer', account(fx.serviceAccount.id))] }, fx.viewer,
      `service account ${fx.serviceAccount.id}`),
    unserved(`${SA}/UpdateAccessBindings`, { resourceId: NO_ACCOUNT, accessBindingDeltas: [add('viewer', account(fx.serviceAccount.id))] }),
  ],
  [`${SA}/ListOperations`]: (fx) => [
    invalid({ serviceAccountId: fx.serviceAccount.id, pageSize: '1001' }, 'page_size', /Value must be in range 0-1000/),
    anonymous({ serviceAccountId: fx.serviceAccount.id }),
    denied({ serviceAccountId: fx.serviceAccount.id }, fx.outsider, `service account ${fx.serviceAccount.id}`),
    unserved(`${SA}/ListOperations`, { serviceAccountId: NO_ACCOUNT }),
  ],
  [`${SA}/Suspend`]: (fx) => [
    invalid({ serviceAccountId: fx.serviceAccount.id, reason: 'r'.repeat(257) }, 'reason', /Length must be less than or equal to 256/),
    anonymous({ serviceAccountId: fx.serviceAccount.id }),
    denied({ serviceAccountId: fx.serviceAccount.id }, fx.viewer, `service account ${fx.serviceAccount.id}`),
    unserved(`${SA}/Suspend`, { serviceAccountId: NO_ACCOUNT }),
  ],
  [`${SA}/Reactivate`]: (fx) => [
    invalid({ serviceAccountId: TOO_LONG_ID }, 'service_account_id', /Length must be less than or equal to 50/),
    anonymous({ serviceAccountId: fx.serviceAccount.id }),
    denied({ serviceAccountId: fx.serviceAccount.id }, fx.viewer, `service account ${fx.serviceAccount.id}`),
    unserved(`${SA}/Reactivate`, { serviceAccountId: NO_ACCOUNT }),
  ],

  [`${KEYS}/Get`]: (fx) => [
    notFound({ keyId: NO_KEY }, `Key ${NO_KEY} not found`),
    invalid({ keyId: TOO_LONG_ID }, 'key_id', /Length must be less than or equal to 50/),
    anonymous({ keyId: fx.key.id }),
    denied({ keyId: fx.key.id }, fx.outsider, `key ${fx.key.id}`),
  ],
  // An empty service_account_id means the caller's own account; the bootstrap credential has none.
  [`${KEYS}/List`]: (fx) => [
    invalid({}, 'service_account_id', /Field is required/),
    invalid({ serviceAccountId: fx.serviceAccount.id, pageSize: '1001' }, 'page_size', /Value must be in range 0-1000/),
    notFound({ serviceAccountId: NO_ACCOUNT }, `Service account ${NO_ACCOUNT} not found`),
    anonymous({ serviceAccountId: fx.serviceAccount.id }),
    denied({ serviceAccountId: fx.serviceAccount.id }, fx.outsider, `service account ${fx.serviceAccount.id}`),
  ],
  [`${KEYS}/Create`]: (fx) => [
    invalid({}, 'service_account_id', /Field is required/),
    invalid({ serviceAccountId: fx.serviceAccount.id, description: 'd'.repeat(257) }, 'description', /Length must be less than or equal to 256/),
    invalid({ serviceAccountId: fx.serviceAccount.id, keyAlgorithm: 'RSA_1024' }, 'key_algorithm',
      /Invalid value "RSA_1024": expected one of ALGORITHM_UNSPECIFIED, RSA_2048, RSA_4096/),
    notFound({ serviceAccountId: NO_ACCOUNT }, `Service account ${NO_ACCOUNT} not found`),
    anonymous({ serviceAccountId: fx.serviceAccount.id }),
    denied({ serviceAccountId: fx.serviceAccount.id }, fx.viewer, `service account ${fx.serviceAccount.id}`),
  ],
  [`${KEYS}/Update`]: (fx) => [
    invalid({ keyId: fx.key.id, description: 'd'.repeat(257) }, 'description', /Length must be less than or equal to 256/),
    anonymous({ keyId: fx.key.id, description: 'd' }),
    denied({ keyId: fx.key.id, description: 'd' }, fx.viewer, `key ${fx.key.id}`),
    unserved(`${KEYS}/Update`, { keyId: NO_KEY, description: 'd' }),
  ],
  [`${KEYS}/Delete`]: (fx) => [
    notFound({ keyId: NO_KEY }, `Key ${NO_KEY} not found`),
    anonymous({ keyId: fx.key.id }),
    denied({ keyId: fx.key.id }, fx.viewer, `key ${fx.key.id}`),
  ],
  [`${KEYS}/ListOperations`]: (fx) => [
    invalid({ keyId: fx.key.id, pageSize: '1001' }, 'page_size', /Value must be in range 0-1000/),
    anonymous({ keyId: fx.key.id }),
    denied({ keyId: fx.key.id }, fx.outsider, `key ${fx.key.id}`),
    unserved(`${KEYS}/ListOperations`, { keyId: NO_KEY }),
  ],

  // The catalogue is open to any credential: there is no 403.
  [`${ROLES}/Get`]: () => [
    notFound({ roleId: 'owner' }, 'Role owner not found'),
    invalid({ roleId: 'r'.repeat(65) }, 'role_id', /Length must be less than or equal to 64/),
    anonymous({ roleId: 'viewer' }),
  ],
  [`${ROLES}/List`]: () => [
    invalid({ pageSize: '1001' }, 'page_size', /Value must be in range 0-1000/),
    invalid({ filter: 'name = "viewer"' }, 'filter', /unknown field "name"; only id can be filtered/),
    invalid({ pageToken: 'garbage' }, 'page_token', /Invalid or expired page token.*/),
    anonymous({}),
  ],

  // Folders need no creating: any well-formed id names one, so there is no 404.
  [`${FOLDERS}/Get`]: (fx) => [
    { ...invalid({ folderId: BAD_FOLDER }, 'folder_id', /Value must match the pattern \[a-z0-9-\]\{1,50\}/), token: fx.viewer },
    anonymous({ folderId: fx.folder }),
    denied({ folderId: fx.folder }, fx.outsider, `folder ${fx.folder}`),
  ],
  [`${FOLDERS}/List`]: (fx) => [
    invalid({}, 'cloud_id', /Field is required/),
    anonymous({ cloudId: 'routes-cloud' }),
    { request: { cloudId: 'routes-cloud' }, token: fx.viewer, status: 403, code: 7, message: INSTALLATION_ONLY },
  ],
  [`${FOLDERS}/Create`]: (fx) => [
    invalid({ cloudId: 'routes-cloud' }, 'name', /Field is required/),
    invalid({ cloudId: 'routes-cloud', name: 'Upper' }, 'name', /Value must match the pattern \[a-z\]\(\[-a-z0-9\]\{0,61\}\[a-z0-9\]\)\?/),
    anonymous({ cloudId: 'routes-cloud', name: 'new-folder' }),
    { request: { cloudId: 'routes-cloud', name: 'new-folder' }, token: fx.vdiAdmin, status: 403, code: 7, message: INSTALLATION_ONLY },
  ],
  [`${FOLDERS}/Update`]: (fx) => [
    invalid({ folderId: fx.folder, name: 'Upper' }, 'name', /Value must match the pattern \|\[a-z\]\(\[-a-z0-9\]\{0,61\}\[a-z0-9\]\)\?/),
    anonymous({ folderId: fx.folder, description: 'd' }),
    denied({ folderId: fx.folder, description: 'd' }, fx.viewer, `folder ${fx.folder}`),
  ],
  // Admin on the folder: not even vdi.admin, who manages its vdi.* bindings.
  [`${FOLDERS}/Delete`]: (fx) => [
    anonymous({ folderId: fx.folder }),
    denied({ folderId: fx.folder }, fx.vdiAdmin, `folder ${fx.folder}`),
  ],
  [`${FOLDERS}/ListOperations`]: (fx) => [
    invalid({ folderId: fx.folder, pageSize: '1001' }, 'page_size', /Value must be in range 0-1000/),
    anonymous({ folderId: fx.folder }),
    denied({ folderId: fx.folder }, fx.outsider, `folder ${fx.folder}`),
  ],
  [`${FOLDERS}/ListAccessBindings`]: (fx) => [
    invalid({ resourceId: BAD_FOLDER }, 'resource_id', /Value must match the pattern \[a-z0-9-\]\{1,50\}/),
    invalid({ resourceId: fx.boundFolder, pageSize: '1001' }, 'page_size', /Value must be in range 0-1000/),
    invalid({ resourceId: fx.boundFolder, pageToken: 'garbage' }, 'page_token', /Invalid or expired page token.*/),
    anonymous({ resourceId: fx.boundFolder }),
    denied({ resourceId: fx.folder }, fx.outsider, `folder ${fx.folder}`),
  ],
  [`${FOLDERS}/SetAccessBindings`]: (fx) => [
    invalid({ resourceId: fx.folder, accessBindings: [{ roleId: 'owner', subject: account(fx.serviceAccount.id) }] }, 'access_bindings[0].role_id',
      /Role owner not found/),
    invalid({ resourceId: fx.folder, accessBindings: [{ roleId: 'viewer', subject: { id: 'someone', type: 'userAccount' } }] },
      'access_bindings[0].subject.type', /Subject type must be serviceAccount or system/),
    anonymous({ resourceId: fx.folder, accessBindings: [] }),
    denied({ resourceId: fx.folder, accessBindings: [] }, fx.viewer, `folder ${fx.folder}`),
    denied({ resourceId: 'routes-elsewhere', accessBindings: [] }, fx.vdiAdmin, 'folder routes-elsewhere'),
  ],
  [`${FOLDERS}/UpdateAccessBindings`]: (fx) => [
    invalid({ resourceId: fx.folder, accessBindingDeltas: [] }, 'access_binding_deltas', /Size must be in range 1-1000/),
    invalid({ resourceId: fx.folder, accessBindingDeltas: [{ accessBinding: { roleId: 'viewer', subject: account(fx.serviceAccount.id) } }] },
      'access_binding_deltas[0].action', /Field is required/),
    invalid({ resourceId: fx.folder, accessBindingDeltas: [add('viewer', account(NO_ACCOUNT))] }, 'access_binding_deltas[0].access_binding.subject.id',
      new RegExp(`Service account ${NO_ACCOUNT} not found`)),
    invalid({ resourceId: BAD_FOLDER, accessBindingDeltas: [add('viewer', account(fx.serviceAccount.id))] }, 'resource_id',
      /Value must match the pattern \[a-z0-9-\]\{1,50\}/),
    anonymous({ resourceId: fx.folder, accessBindingDeltas: [add('viewer', account(fx.serviceAccount.id))] }),
    denied({ resourceId: fx.folder, accessBindingDeltas: [add('viewer', account(fx.serviceAccount.id))] }, fx.viewer, `folder ${fx.folder}`),
    // Allowed by the table, refused by the rule that nobody grants more than they hold.
    {
      request: { resourceId: fx.folder, accessBindingDeltas: [add('viewer', account(fx.serviceAccount.id))] }, token: fx.vdiAdmin,
      status: 403, code: 7, message: new RegExp(`^Permission denied to grant role viewer on folder ${fx.folder}$`),
    },
  ],
};
