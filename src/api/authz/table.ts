/**
 * THE authorization table: for every RPC the router serves, what the caller needs. Data only;
 * api/authz/authorize.ts enforces it and its test walks it for every role. Each service's
 * entry is typed against the generated descriptor, so an RPC added to a proto without a rule
 * fails to compile, and start-up refuses a router method that has none (fail closed).
 *
 * A rule is `public` (no credential: the JWT exchange), `authenticated` (any valid credential),
 * `installation` (the bootstrap credential only: there is no cloud to grant on), or a list of
 * checks, each a level on a permission family in the folder named by a request field or holding
 * the resource a request field names. `of-resource` takes the family from that resource (an
 * operation belongs to the family of what it acts on).
 */
import type { DescService } from '@bufbuild/protobuf';
import { DesktopImageService } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { ImageService } from '../../gen/yandex/cloud/compute/v1/image_service_pb.js';
import { OperationService } from '../../gen/yandex/cloud/operation/operation_service_pb.js';
import { IamTokenService } from '../../gen/yandex/cloud/iam/v1/iam_token_service_pb.js';
import { ServiceAccountService } from '../../gen/yandex/cloud/iam/v1/service_account_service_pb.js';
import { KeyService } from '../../gen/yandex/cloud/iam/v1/key_service_pb.js';
import { RoleService } from '../../gen/yandex/cloud/iam/v1/role_service_pb.js';
import { FolderService } from '../../gen/yandex/cloud/resourcemanager/v1/folder_service_pb.js';
import type { Family, Level } from '../../domain/iam/permissions.js';
import type { ResourceKind } from '../../domain/iam/resource-folders.js';

export type FolderSource =
  /** A request field holding a folder id (proto field name); `optional`: skip when empty. */
  | { field: string; optional?: boolean }
  /** The folder of the resource whose id a request field holds; a missing resource is the handler's NOT_FOUND. */
  | { resource: ResourceKind; field: string; ownAccountIfEmpty?: boolean };

export interface Check {
  level: Level;
  family: Family | 'of-resource';
  from: FolderSource;
}

export type Rule = 'public' | 'authenticated' | 'installation' | readonly Check[];

const check = (level: Level) => (family: Check['family'], from: FolderSource): Check => ({ level, family, from });
const read = check('read');
const write = check('write');
const admin = check('admin');
const folder = (field = 'folder_id', optional = false): FolderSource => ({ field, optional });
const res = (resource: ResourceKind, field: string, ownAccountIfEmpty = false): FolderSource => ({ resource, field, ownAccountIfEmpty });

const VDI = 'vdi.images';
const COMPUTE = 'compute.images';
const IAM = 'iam.serviceAccounts';
const FOLDERS = 'resource-manager.folders';
const BINDINGS = 'resource-manager.accessBindings';

type Rules<S extends DescService> = { [K in keyof S['method']]: Rule };
const entry = <S extends DescService>(service: S, rules: Rules<S>) => ({ service, rules: rules as Record<string, Rule> });

const ENTRIES = [
  entry(DesktopImageService, {
    list: [read(VDI, folder())],
    get: [read(VDI, res('desktopImage', 'image_id'))],
    // Plus read on the source: the system images folder is readable by everyone.
    copy: [write(VDI, folder()), read(COMPUTE, res('computeImage', 'image_id'))],
    // Without folder_id the image goes to the desktop's folder; desktops do not exist yet.
    copyFromDesktop: [write(VDI, folder('folder_id', true)), write(VDI, res('desktop', 'desktop_id'))],
    update: [write(VDI, res('desktopImage', 'image_id'))],
    delete: [write(VDI, res('desktopImage', 'image_id'))],
  }),
  entry(ImageService, {
    get: [read(COMPUTE, res('computeImage', 'image_id'))],
    getLatestByFamily: [read(COMPUTE, folder())],
    list: [read(COMPUTE, folder())],
    create: [write(COMPUTE, folder()), read(COMPUTE, res('computeImage', 'image_id'))],
    update: [write(COMPUTE, res('computeImage', 'image_id'))],
    delete: [write(COMPUTE, res('computeImage', 'image_id'))],
    listOperations: [read(COMPUTE, res('computeImage', 'image_id'))],
    listAccessBindings: [read(COMPUTE, res('computeImage', 'resource_id'))],
    setAccessBindings: [admin(COMPUTE, res('computeImage', 'resource_id'))],
    updateAccessBindings: [admin(COMPUTE, res('computeImage', 'resource_id'))],
  }),
  entry(OperationService, {
    get: [read('of-resource', res('operation', 'operation_id'))],
    cancel: [write('of-resource', res('operation', 'operation_id'))],
  }),
  entry(IamTokenService, {
    create: 'public',
    createForServiceAccount: [write(IAM, res('serviceAccount', 'service_account_id'))],
    revoke: 'authenticated',
  }),
  entry(ServiceAccountService, {
    get: [read(IAM, res('serviceAccount', 'service_account_id'))],
    list: [read(IAM, folder())],
    create: [write(IAM, folder())],
    update: [write(IAM, res('serviceAccount', 'service_account_id'))],
    delete: [write(IAM, res('serviceAccount', 'service_account_id'))],
    listAccessBindings: [read(IAM, res('serviceAccount', 'resource_id'))],
    setAccessBindings: [admin(IAM, res('serviceAccount', 'resource_id'))],
    updateAccessBindings: [admin(IAM, res('serviceAccount', 'resource_id'))],
    listOperations: [read(IAM, res('serviceAccount', 'service_account_id'))],
    suspend: [write(IAM, res('serviceAccount', 'service_account_id'))],
    reactivate: [write(IAM, res('serviceAccount', 'service_account_id'))],
  }),
  entry(KeyService, {
    get: [read(IAM, res('key', 'key_id'))],
    list: [read(IAM, res('serviceAccount', 'service_account_id', true))],
    create: [write(IAM, res('serviceAccount', 'service_account_id', true))],
    update: [write(IAM, res('key', 'key_id'))],
    delete: [write(IAM, res('key', 'key_id'))],
    listOperations: [read(IAM, res('key', 'key_id'))],
  }),
  entry(RoleService, {
    get: 'authenticated',
    list: 'authenticated',
  }),
  entry(FolderService, {
    get: [read(FOLDERS, folder())],
    list: 'installation',
    create: 'installation',
    update: [write(FOLDERS, folder())],
    delete: [admin(FOLDERS, folder())],
    listOperations: [read(FOLDERS, folder())],
    listAccessBindings: [read(BINDINGS, folder('resource_id'))],
    setAccessBindings: [admin(BINDINGS, folder('resource_id'))],
    updateAccessBindings: [admin(BINDINGS, folder('resource_id'))],
  }),
];

/** Rule by gRPC path (`/package.Service/Method`). */
export const AUTHZ_TABLE: ReadonlyMap<string, Rule> = new Map(
  ENTRIES.flatMap(({ service, rules }) => service.methods.map((m) => [`/${service.typeName}/${m.name}`, rules[m.localName]!] as const)),
);

/** The services the table covers, with their descriptors (for start-up checks and tests). */
export const AUTHZ_SERVICES: readonly DescService[] = ENTRIES.map((e) => e.service);
