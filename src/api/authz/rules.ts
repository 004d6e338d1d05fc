/**
 * The vocabulary of authorization rules. Each RPC declares its rule beside its handler
 * (api/service.ts); the rules of every served service together are THE authorization table,
 * which authorize.ts enforces and its test walks for every role.
 *
 * A rule is `public` (no credential: the JWT exchange), `authenticated` (any valid credential),
 * `installation` (the bootstrap credential only: there is no cloud to grant on), or a list of
 * checks, each a level on a permission family in the folder named by a request field or holding
 * the resource a request field names. `of-resource` takes the family from that resource (an
 * operation belongs to the family of what it acts on).
 *
 *   auth: [write('vdi.images', folder()), read('compute.images', res(COMPUTE_IMAGE, 'image_id'))]
 */
import type { Family, Level } from '../../domain/iam/permissions.js';
import type { ResourceDescriptor } from '../../domain/resource.js';

export type FolderSource =
  /** A request field holding a folder id (proto field name); `optional`: skip when empty. */
  | { field: string; optional?: boolean }
  /** The folder of the resource whose id a request field holds; a missing resource is the handler's NOT_FOUND. */
  | { resource: ResourceDescriptor<unknown>; field: string; ownAccountIfEmpty?: boolean };

export interface CheckOptions {
  /**
   * The owners of the resource (a desktop's users) may do this with `useOwn` instead. On a
   * collection (a folder's or a group's desktops) a caller who holds only `useOwn` passes, and
   * sees only what it owns; on one resource it passes as one of its owners and acts only for
   * itself (both: the OWNED_BY context value).
   */
  readonly owner?: boolean;
  /** Applies only when this request field is empty (the fallback folder of CopyFromDesktop). */
  readonly whenEmpty?: string;
}

export interface Check extends CheckOptions {
  level: Level;
  family: Family | 'of-resource';
  from: FolderSource;
}

export type Rule = 'public' | 'authenticated' | 'installation' | readonly Check[];

const check = (level: Level) => (family: Check['family'], from: FolderSource, options: CheckOptions = {}): Check => ({ level, family, from, ...options });
export const read = check('read');
export const write = check('write');
export const admin = check('admin');
/** Operate a desktop: start, stop, restart, RDP file, password. */
export const use = check('use');

/** The folder a request field names (`folder_id` by default). */
export const folder = (field = 'folder_id', optional = false): FolderSource => ({ field, optional });

/** The folder of the resource a request field names. */
export const res = (resource: ResourceDescriptor<never>, field: string, ownAccountIfEmpty = false): FolderSource => ({
  resource: resource as ResourceDescriptor<unknown>,
  field,
  ownAccountIfEmpty,
});
