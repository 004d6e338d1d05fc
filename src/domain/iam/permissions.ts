/**
 * Permissions are `<family>.<level>`: a family of resources and what may be done to them. Roles
 * (roles.ts) grant sets of them on a folder; `*.<level>` grants the level on every family, which
 * is how the primitive roles differ from the vdi.* service roles.
 *
 *   allows(['vdi.images.read'], 'vdi.images', 'read');   // true
 *   allows(['*.read'], 'compute.images', 'read');         // true
 *   allows(['*.read'], 'compute.images', 'write');        // false
 */

export const FAMILIES = [
  'vdi.images',
  /** Desktop groups, their desktops and the groups' access bindings. */
  'vdi.desktops',
  'compute.images',
  'iam.serviceAccounts',
  'resource-manager.folders',
  'resource-manager.accessBindings',
] as const;
export type Family = (typeof FAMILIES)[number];

/**
 * read: Get, List, operations; write: create, change, delete; admin: access bindings;
 * use: operate a desktop (start, stop, restart, RDP file, password); useOwn: the same, only on
 * desktops whose users include the caller (docs/decisions.md point 21).
 */
export const LEVELS = ['read', 'write', 'admin', 'use', 'useOwn'] as const;
export type Level = (typeof LEVELS)[number];

/** What a role grants: `vdi.images.read`, or a wildcard such as `*.read`. */
export type Grant = `${Family | '*'}.${Level}`;

/** Families every authenticated caller may read in the system images folder (docs/decisions.md point 12). */
export const SYSTEM_FOLDER_READABLE: readonly Family[] = ['vdi.images', 'compute.images'];

/**
 * Whether the grants allow `level` on `family`. A null family (an operation of a kind no family
 * claims) is allowed only by the wildcard.
 */
export function allows(grants: Iterable<string>, family: Family | null, level: Level): boolean {
  const set = grants instanceof Set ? (grants as Set<string>) : new Set(grants);
  const has = (l: Level) => set.has(`*.${l}`) || (family !== null && set.has(`${family}.${l}`));
  // Operating any desktop includes operating one's own.
  return has(level) || (level === 'useOwn' && has('use'));
}

/** Whether `held` includes everything `grant` gives (no one grants more than they hold). */
export function covers(held: Iterable<string>, grant: Grant): boolean {
  const set = held instanceof Set ? (held as Set<string>) : new Set(held);
  const dot = grant.lastIndexOf('.');
  const family = grant.slice(0, dot);
  const level = grant.slice(dot + 1) as Level;
  return family === '*' ? set.has(grant) : allows(set, family as Family, level);
}
