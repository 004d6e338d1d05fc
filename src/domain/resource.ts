/**
 * What the shared machinery needs to know about one kind of resource, declared once in the
 * resource's own folder: authorization finds its folder and permission family, audit events
 * name it, operations return it and ids get its prefix. Hubs take the list of descriptors
 * (src/resources.ts) and never name a resource themselves.
 *
 *   export const DESKTOP_IMAGE: ResourceDescriptor<DesktopImage> = {
 *     kind: 'desktopImage', label: 'desktop image', idPrefix: 'e3v', family: 'vdi.images',
 *     operationKinds: 'desktop-image.',
 *     response: 'yandex.cloud.clouddesktop.v1.api.DesktopImage',
 *     locate: async (tx, id) => locatedIn(await tx.desktopImages.get(id)),
 *     details: (i) => ({ desktop_image_id: i.id, desktop_image_name: i.name, folder_id: i.folderId }),
 *   };
 */
import type { Repos } from './store.js';
import type { Family } from './iam/permissions.js';
import { newId } from '../ids.js';

/**
 * Where a resource lives. An operation also says what kind it is, so its family can be found;
 * a resource inside another one that roles can be bound on (a desktop in its group) names that
 * scope; a desktop names the subjects it belongs to (its users).
 */
export interface Location {
  folderId: string;
  operationKind?: string;
  /** For an operation: the id of what it acts on, whose scopes (a desktop's group) also apply. */
  resourceId?: string;
  /** Scopes inside the folder whose bindings also apply: `[{ type: 'desktopGroup', id }]`. */
  scopes?: readonly { readonly type: string; readonly id: string }[];
  /** Subject ids the resource belongs to, for the `useOwn` level. */
  owners?: readonly string[];
}

export interface ResourceDescriptor<T = never> {
  /** How authorization rules and hubs refer to it: `desktopImage`. */
  readonly kind: string;
  /** What messages call it: `Permission denied to desktop image e3v...`. */
  readonly label: string;
  /** First 3 characters of its ids and of its operations' ids (docs/decisions.md point 4). */
  readonly idPrefix: string;
  /** The permission family roles grant on it; null when only the primitive roles reach it. */
  readonly family: Family | null;
  /** Operation kinds that act on it start with this (`desktop-image.copy`). */
  readonly operationKinds?: string;
  /** Full name of the message its operations return on success, when they return it. */
  readonly response?: string;
  /** Its folder (or undefined when it does not exist), read inside `tx`. */
  locate(tx: Repos, id: string): Promise<Location | undefined>;
  /** Audit `details` naming it: id, name and folder. */
  details?(resource: T): Record<string, unknown>;
}

/** A new id for a resource of this kind. */
export function idFor(d: Pick<ResourceDescriptor<unknown>, 'idPrefix'>): string {
  return newId(d.idPrefix);
}

/** The Location of a row that has a folder, or undefined when there is no row. */
export function locatedIn(row: { folderId: string } | undefined): Location | undefined {
  return row && { folderId: row.folderId };
}
