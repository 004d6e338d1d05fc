/**
 * Where a resource named in a request lives, for authorization before the handler runs: its
 * folder and the permission family it belongs to. Undefined when the resource does not exist,
 * so that the handler answers NOT_FOUND (decisions.md point 6).
 *
 *   const where = await folders.of('desktopImage', req.imageId);   // { folderId, family } | undefined
 */
import type { Store } from '../../storage/store.js';
import { familyOfOperationKind, type Family } from './permissions.js';

export const RESOURCE_KINDS = ['desktopImage', 'computeImage', 'operation', 'serviceAccount', 'key', 'desktop'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** What a check message calls the resource: `Permission denied to desktop image e3v...`. */
export const RESOURCE_LABEL: Record<ResourceKind, string> = {
  desktopImage: 'desktop image',
  computeImage: 'image',
  operation: 'operation',
  serviceAccount: 'service account',
  key: 'key',
  desktop: 'desktop',
};

export interface Location {
  folderId: string;
  /** null: an operation of a kind no family claims (only the primitive roles reach it). */
  family: Family | null;
}

export class ResourceFolders {
  constructor(private readonly store: Store) {}

  of(kind: ResourceKind, id: string): Promise<Location | undefined> {
    return this.store.read(async (tx): Promise<Location | undefined> => {
      switch (kind) {
        case 'desktopImage': {
          const r = await tx.desktopImages.get(id);
          return r && { folderId: r.folderId, family: 'vdi.images' };
        }
        case 'computeImage': {
          const r = await tx.computeImages.get(id);
          return r && { folderId: r.folderId, family: 'compute.images' };
        }
        case 'operation': {
          const r = await tx.operations.get(id);
          return r && { folderId: r.folderId, family: familyOfOperationKind(r.kind) };
        }
        case 'serviceAccount': {
          const r = await tx.serviceAccounts.get(id);
          return r && { folderId: r.folderId, family: 'iam.serviceAccounts' };
        }
        case 'key': {
          const k = await tx.iamKeys.get(id);
          const a = k && (await tx.serviceAccounts.get(k.serviceAccountId));
          return a && { folderId: a.folderId, family: 'iam.serviceAccounts' };
        }
        case 'desktop':
          return undefined; // desktops are not part of clouddesk yet
      }
    });
  }
}
