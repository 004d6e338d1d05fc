/**
 * Where a resource named in a request lives, for authorization before the handler runs: the
 * scopes whose bindings apply (its folder, and a desktop group for groups and desktops), the
 * permission family it belongs to, and whom it belongs to. An operation belongs to the family of
 * the resource it acts on, found by its kind. Undefined when the resource does not exist.
 *
 *   const folders = new ResourceFolders(store, DESCRIPTORS);
 *   const where = await folders.of(DESKTOP_IMAGE, req.imageId);   // { scopes, family } | undefined
 */
import type { Store } from '../store.js';
import type { ResourceDescriptor } from '../resource.js';
import type { Family } from './permissions.js';
import { folderScope, type Scope } from './authorizer.js';

export interface Placement {
  /** The folder first, then any scope inside it. */
  scopes: readonly Scope[];
  /** null: an operation of a kind no family claims (only the primitive roles reach it). */
  family: Family | null;
  owners?: readonly string[];
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
      if (where.operationKind === undefined) {
        return { scopes: [folderScope(where.folderId), ...(where.scopes ?? [])], family: resource.family, ...(where.owners && { owners: where.owners }) };
      }
      // An operation: the roles on what it acts on apply (a desktop's group), while it exists.
      const target = this.descriptorOfOperationKind(where.operationKind);
      const acted = target && where.resourceId ? await target.locate(tx, where.resourceId) : undefined;
      return {
        scopes: [folderScope(where.folderId), ...(acted?.scopes ?? [])],
        family: target?.family ?? null,
        ...(where.owners && { owners: where.owners }),
      };
    });
  }

  /** The family of the resource an operation of this kind acts on. */
  familyOfOperationKind(kind: string): Family | null {
    return this.descriptorOfOperationKind(kind)?.family ?? null;
  }

  private descriptorOfOperationKind(kind: string): ResourceDescriptor<never> | undefined {
    return this.byOperationKind.find((d) => kind.startsWith(d.operationKinds!));
  }
}
