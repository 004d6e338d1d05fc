/**
 * Where a resource named in a request lives, for authorization before the handler runs: its
 * folder and the permission family it belongs to, from the resource's descriptor. An operation
 * belongs to the family of the resource it acts on, found by its kind. Undefined when the
 * resource does not exist, so that the handler answers NOT_FOUND (docs/decisions.md point 6).
 *
 *   const folders = new ResourceFolders(store, DESCRIPTORS);
 *   const where = await folders.of(DESKTOP_IMAGE, req.imageId);   // { folderId, family } | undefined
 */
import type { Store } from '../store.js';
import type { ResourceDescriptor } from '../resource.js';
import type { Family } from './permissions.js';

export interface Placement {
  folderId: string;
  /** null: an operation of a kind no family claims (only the primitive roles reach it). */
  family: Family | null;
}

export class ResourceFolders {
  private readonly byOperationKind: readonly ResourceDescriptor<never>[];

  constructor(private readonly store: Store, descriptors: readonly ResourceDescriptor<never>[]) {
    this.byOperationKind = descriptors.filter((d) => d.operationKinds);
  }

  of(resource: ResourceDescriptor<unknown>, id: string): Promise<Placement | undefined> {
    return this.store.read(async (tx): Promise<Placement | undefined> => {
      const where = await resource.locate(tx, id);
      if (!where) return undefined;
      const family = where.operationKind === undefined ? resource.family : this.familyOfOperationKind(where.operationKind);
      return { folderId: where.folderId, family };
    });
  }

  /** The family of the resource an operation of this kind acts on. */
  familyOfOperationKind(kind: string): Family | null {
    return this.byOperationKind.find((d) => kind.startsWith(d.operationKinds!))?.family ?? null;
  }
}
