/**
 * Desktop image use cases: Get, List, Copy (from a Compute image), CopyFromDesktop, Update,
 * Delete. Mutations commit the resource change with its Operation, then the runner finishes
 * the work in the background (jobs.ts). A Copy whose source bytes are on hand is only a row:
 * it ends in the transaction that makes it (`finish`, see operation/runner.ts).
 *
 *   const op = await images.copy({ folderId, name, imageId }, caller);
 */
import type { Repos, Store } from '../../../domain/store.js';
import type { Clock } from '../../../clock.js';
import { idFor } from '../../../domain/resource.js';
import type { Operation, OperationResponse } from '../../../domain/operation/operation.js';
import type { BlobStore } from '../../../domain/blobs/blob-store.js';
import type { OperationRunner, OperationSpec } from '../../../domain/operation/runner.js';
import { FailedPreconditionError, NotFoundError } from '../../../domain/errors.js';
import { listPage, type ListRequest, type ListResult } from '../../../domain/listing/list-request.js';
import type { Pager } from '../../../domain/listing/pager.js';
import { checkFolderId } from '../../../domain/folders.js';
import { applyUpdateMask } from '../../../domain/update-mask.js';
import type { Caller } from '../../../domain/caller.js';
import { DESKTOP_IMAGE, DESKTOP_IMAGE_LIST, type DesktopImage } from './desktop-image.js';
import { DesktopImageQuota } from './quota.js';
import { checkUnlocked } from '../../desktop/domain/desktop.js';

export const KIND = {
  copy: 'desktop-image.copy',
  copyFromDesktop: 'desktop-image.copy-from-desktop',
  update: 'desktop-image.update',
  delete: 'desktop-image.delete',
} as const;

const META = 'yandex.cloud.clouddesktop.v1.api.';
const spec = (kind: string, description: string, metadata: string): OperationSpec => ({
  kind, description, resource: DESKTOP_IMAGE, metadataType: `${META}${metadata}`, metadataId: 'imageId',
});
const OPS = {
  copy: spec(KIND.copy, 'Copy desktop image', 'CopyDesktopImageMetadata'),
  copyFromDesktop: spec(KIND.copyFromDesktop, 'Copy desktop image from desktop', 'CopyFromDesktopMetadata'),
  update: spec(KIND.update, 'Update desktop image', 'UpdateDesktopImageMetadata'),
  delete: spec(KIND.delete, 'Delete desktop image', 'DeleteDesktopImageMetadata'),
};

const details = (i: DesktopImage) => DESKTOP_IMAGE.details!(i);
const RESPONSE = DESKTOP_IMAGE.response!;

/** The end of a Copy, whether the job runs it or the Copy's own transaction: the image is ACTIVE. */
export async function activateCopy(tx: Repos, image: DesktopImage): Promise<OperationResponse> {
  const ready: DesktopImage = { ...image, status: 'ACTIVE' };
  await tx.desktopImages.update(ready);
  return { type: RESPONSE, value: ready };
}

export interface CopyInput {
  folderId: string;
  name: string;
  imageId: string;
  labels: Record<string, string>;
  description: string;
}

export interface CopyFromDesktopInput {
  desktopId: string;
  /** '' = the desktop's folder. */
  folderId: string;
  /** '' = the desktop's name followed by `-image`. */
  name: string;
  labels: Record<string, string>;
  description: string;
}

export interface UpdateInput {
  imageId: string;
  /** snake_case field paths; empty = replace every updatable field */
  paths: string[];
  name: string;
  labels: Record<string, string>;
  description: string;
}

export class DesktopImages {
  /** Blob look-ups in flight, by hash (sourceBytesOnHand). */
  private readonly lookingFor = new Map<string, Promise<boolean>>();

  constructor(
    private readonly store: Store,
    private readonly runner: OperationRunner,
    private readonly pager: Pager,
    private readonly clock: Clock,
    private readonly blobs: Pick<BlobStore, 'has'>,
    private readonly systemFolderId: string,
    private readonly quota: DesktopImageQuota = new DesktopImageQuota({}, systemFolderId),
  ) {}

  async get(id: string): Promise<DesktopImage> {
    const image = await this.store.read((tx) => tx.desktopImages.get(id));
    if (!image) throw new NotFoundError(`Desktop image ${id} not found`);
    return image;
  }

  async list(req: ListRequest): Promise<ListResult<DesktopImage>> {
    checkFolderId(req.folderId, 'folder_id');
    return listPage(this.pager, req, DESKTOP_IMAGE_LIST, (q) => this.store.read((tx) => tx.desktopImages.list(q)));
  }

  async copy(input: CopyInput, caller: Caller): Promise<Operation> {
    checkFolderId(input.folderId, 'folder_id');
    // Asked before the transaction, so the writer never waits on the blob store.
    const onHand = await this.sourceBytesOnHand(input.imageId);
    return this.runner.submit(caller, OPS.copy, async (tx) => {
      const source = await tx.computeImages.get(input.imageId);
      if (!source) throw new NotFoundError(`Image ${input.imageId} not found`);
      if (source.status !== 'READY') {
        throw new FailedPreconditionError(`Image ${input.imageId} is not ready (status ${source.status})`);
      }
      // In this transaction, so concurrent Copies cannot both take the last slot.
      await this.quota.check(tx, input.folderId, source.storageSize);
      const image: DesktopImage = {
        id: idFor(DESKTOP_IMAGE),
        folderId: input.folderId,
        name: input.name,
        description: input.description,
        labels: input.labels,
        status: 'CREATING',
        createdAt: this.clock.now(),
        storageSize: source.storageSize,
        minDiskSize: source.minDiskSize,
        // The copy shares the source's bytes: no data is copied, whatever the size.
        blobSha256: source.blobSha256,
        sourceId: source.id,
      };
      await tx.desktopImages.insert(image);
      // Bytes not found, or the source changed since: the job checks again (DATA_LOSS if missing).
      const finish = onHand === undefined || onHand !== source.blobSha256 ? undefined : (ftx: Repos) => activateCopy(ftx, image);
      return { resourceId: image.id, folderId: image.folderId, details: details(image), finish };
    });
  }

  /**
   * The source's blob hash when the source is READY and its bytes are in the blob store (null: it
   * has none). Copies of one source that arrive together share one look at the blob store: a
   * "no" only sends a Copy the long way (its job looks again and ends in DATA_LOSS only if the
   * bytes are really gone), and a "yes" is as fresh as any check made before the transaction.
   */
  private async sourceBytesOnHand(imageId: string): Promise<string | null | undefined> {
    const source = await this.store.read((tx) => tx.computeImages.get(imageId));
    if (source?.status !== 'READY') return undefined;
    const sha = source.blobSha256;
    if (sha === null) return null;
    let looking = this.lookingFor.get(sha);
    if (!looking) {
      looking = this.blobs.has(sha).catch(() => false).finally(() => this.lookingFor.delete(sha));
      this.lookingFor.set(sha, looking);
    }
    return (await looking) ? sha : undefined;
  }

  /** Desktops are not part of clouddesk yet, so every desktop id is unknown. */
  /**
   * An image of a stopped desktop's boot disk (docs/decisions.md points 11 and 18): CREATING
   * while the runtime captures it, then ACTIVE. The desktop is locked meanwhile (lockedBy).
   * Without folder_id the image goes to the desktop's folder; without a name it is named after
   * the desktop.
   */
  async copyFromDesktop(input: CopyFromDesktopInput, caller: Caller): Promise<Operation> {
    if (input.folderId !== '') checkFolderId(input.folderId, 'folder_id');
    return this.runner.submit(caller, OPS.copyFromDesktop, async (tx) => {
      const desktop = await tx.desktops.get(input.desktopId);
      if (!desktop) throw new NotFoundError(`Desktop ${input.desktopId} not found`);
      checkUnlocked(desktop);
      if (desktop.status !== 'STOPPED') throw new FailedPreconditionError(`Desktop ${desktop.id} must be stopped`);
      const boot = (await tx.desktopDisks.ofDesktop(desktop.id)).find((d) => d.role === 'boot');
      if (!boot) throw new FailedPreconditionError(`Desktop ${desktop.id} has no boot disk`);
      const folderId = input.folderId || desktop.folderId;
      await this.quota.check(tx, folderId, boot.baseStorageSize);
      const image: DesktopImage = {
        id: idFor(DESKTOP_IMAGE),
        folderId,
        name: input.name || `${desktop.name || desktop.id}-image`.slice(0, 50),
        description: input.description,
        labels: input.labels,
        status: 'CREATING',
        createdAt: this.clock.now(),
        storageSize: boot.baseStorageSize,
        minDiskSize: boot.baseMinDiskSize,
        blobSha256: null,
        sourceId: desktop.id,
      };
      await tx.desktopImages.insert(image);
      await tx.desktops.update({ ...desktop, lockedBy: image.id });
      return { resourceId: image.id, folderId, details: details(image), params: { desktopId: desktop.id } };
    });
  }

  async update(input: UpdateInput, caller: Caller): Promise<Operation> {
    const patch = applyUpdateMask(input.paths, ['name', 'labels', 'description'], {
      name: input.name,
      labels: input.labels,
      description: input.description,
    });
    return this.runner.submit(caller, OPS.update, async (tx) => {
      const image = await tx.desktopImages.get(input.imageId);
      if (!image) throw new NotFoundError(`Desktop image ${input.imageId} not found`);
      this.checkMutable(image);
      return { resourceId: image.id, folderId: image.folderId, details: details(image), params: { patch } };
    });
  }

  async delete(imageId: string, caller: Caller): Promise<Operation> {
    return this.runner.submit(caller, OPS.delete, async (tx) => {
      const image = await tx.desktopImages.get(imageId);
      if (!image) throw new NotFoundError(`Desktop image ${imageId} not found`);
      this.checkMutable(image);
      if (image.status === 'CREATING') {
        throw new FailedPreconditionError(`Desktop image ${imageId} is being created; cancel its operation instead`);
      }
      const group = await tx.desktopGroups.findUsingImage(imageId);
      if (group) throw new FailedPreconditionError(`Desktop image ${imageId} is used by desktop group ${group.id}`);
      await tx.desktopImages.update({ ...image, status: 'DELETING' });
      return { resourceId: image.id, folderId: image.folderId, details: details(image) };
    });
  }

  private checkMutable(image: DesktopImage): void {
    if (image.folderId === this.systemFolderId) {
      throw new FailedPreconditionError(`System desktop image ${image.id} cannot be changed or deleted`);
    }
    if (image.status === 'DELETING') throw new FailedPreconditionError(`Desktop image ${image.id} is being deleted`);
  }
}

