/**
 * Compute image use cases: the sources that desktop images are copied from. Create imports
 * bytes from an http(s) URL or shares another image's bytes; the rest mirrors the real
 * yandex.cloud.compute.v1.ImageService.
 *
 *   const op = await computeImages.create({ folderId, name, source: { uri } }, caller);
 */
import type { Store } from '../../../domain/store.js';
import type { Clock } from '../../../clock.js';
import { idFor } from '../../../domain/resource.js';
import type { Operation } from '../../../domain/operation/operation.js';
import type { OperationRunner, OperationSpec } from '../../../domain/operation/runner.js';
import type { Operations } from '../../../domain/operation/operations.js';
import { AlreadyExistsError, FailedPreconditionError, InvalidArgumentError, NotFoundError, UnimplementedError } from '../../../domain/errors.js';
import { listPage, type ListRequest, type ListResult, type PageRequest } from '../../../domain/listing/list-request.js';
import type { Pager } from '../../../domain/listing/pager.js';
import { checkFolderId } from '../../../domain/folders.js';
import { applyUpdateMask } from '../../../domain/update-mask.js';
import type { Caller } from '../../../domain/caller.js';
import type { SecretBox } from '../../../domain/secret-box.js';
import { redactUrl } from '../../../domain/redact-url.js';
import { COMPUTE_IMAGE, COMPUTE_IMAGE_LIST, type ComputeImage } from './compute-image.js';
import { ComputeImageAdmission } from './admission.js';

/** How Create treats URL imports (docs/security.md). */
export interface ImportPolicy {
  readonly urlsEnabled: boolean;
  readonly admission: ComputeImageAdmission;
  /** Seals the full uri in the operation params, for a restart to resume the import. */
  readonly box: SecretBox;
}

export const COMPUTE_KIND = {
  create: 'compute-image.create',
  update: 'compute-image.update',
  delete: 'compute-image.delete',
} as const;

const META = 'yandex.cloud.compute.v1.';
const spec = (kind: string, description: string, metadata: string): OperationSpec => ({
  kind, description, resource: COMPUTE_IMAGE, metadataType: `${META}${metadata}`, metadataId: 'imageId',
});
const details = (i: ComputeImage) => COMPUTE_IMAGE.details!(i);
const OPS = {
  create: spec(COMPUTE_KIND.create, 'Create image', 'CreateImageMetadata'),
  update: spec(COMPUTE_KIND.update, 'Update image', 'UpdateImageMetadata'),
  delete: spec(COMPUTE_KIND.delete, 'Delete image', 'DeleteImageMetadata'),
};

export type CreateSource =
  | { uri: string }
  | { imageId: string }
  | { diskId: string }
  | { snapshotId: string }
  | Record<string, never>;

export interface CreateInput {
  folderId: string;
  name: string;
  description: string;
  labels: Record<string, string>;
  family: string;
  minDiskSize: number;
  productIds: string[];
  os: ComputeImage['os'];
  pooled: boolean;
  hardwareGeneration: Record<string, unknown> | null;
  source: CreateSource;
}

export interface UpdateInput {
  imageId: string;
  paths: string[];
  name: string;
  description: string;
  minDiskSize: number;
  labels: Record<string, string>;
}

export class ComputeImages {
  constructor(
    private readonly store: Store,
    private readonly runner: OperationRunner,
    private readonly pager: Pager,
    private readonly clock: Clock,
    private readonly operations: Operations,
    private readonly imports: ImportPolicy,
  ) {}

  async get(id: string): Promise<ComputeImage> {
    const image = await this.store.read((tx) => tx.computeImages.get(id));
    if (!image) throw new NotFoundError(`Image ${id} not found`);
    return image;
  }

  async latestByFamily(folderId: string, family: string): Promise<ComputeImage> {
    if (family === '') throw InvalidArgumentError.field('family', 'Field is required');
    const image = await this.store.read((tx) => tx.computeImages.latestByFamily(folderId, family));
    if (!image) throw new NotFoundError(`Image with family ${family} not found in folder ${folderId}`);
    return image;
  }

  async list(req: ListRequest): Promise<ListResult<ComputeImage>> {
    checkFolderId(req.folderId, 'folder_id');
    return listPage(this.pager, req, COMPUTE_IMAGE_LIST, (q) => this.store.read((tx) => tx.computeImages.list(q)));
  }

  async listOperations(imageId: string, req: PageRequest): Promise<ListResult<Operation>> {
    await this.get(imageId);
    return this.operations.ofResource(imageId, req, 'compute-image-operations');
  }

  async create(input: CreateInput, caller: Caller): Promise<Operation> {
    checkFolderId(input.folderId, 'folder_id');
    const source = checkSource(input.source);
    if ('uri' in source && !this.imports.urlsEnabled) {
      throw new FailedPreconditionError('uri: importing images from URLs is turned off on this server (--import-urls); use image_id');
    }
    return this.runner.submit(caller, OPS.create, async (tx) => {
      if (input.name !== '' && (await tx.computeImages.findByName(input.folderId, input.name))) {
        throw new AlreadyExistsError(`Image with name ${input.name} already exists in folder ${input.folderId}`);
      }
      let blobSha256: string | null = null;
      let storageSize = 0;
      let minDiskSize = input.minDiskSize;
      if ('imageId' in source) {
        const from = await tx.computeImages.get(source.imageId);
        if (!from) throw new NotFoundError(`Image ${source.imageId} not found`);
        if (from.status !== 'READY') throw new FailedPreconditionError(`Image ${source.imageId} is not ready (status ${from.status})`);
        blobSha256 = from.blobSha256;
        storageSize = from.storageSize;
        minDiskSize = Math.max(minDiskSize, from.minDiskSize);
      }
      await this.imports.admission.check(tx, input.folderId, { addSize: storageSize, isImport: 'uri' in source });
      const image: ComputeImage = {
        id: idFor(COMPUTE_IMAGE),
        folderId: input.folderId,
        name: input.name,
        description: input.description,
        labels: input.labels,
        family: input.family,
        status: 'CREATING',
        createdAt: this.clock.now(),
        storageSize,
        minDiskSize,
        productIds: input.productIds,
        os: input.os,
        pooled: input.pooled,
        hardwareGeneration: input.hardwareGeneration,
        blobSha256,
        // Query values of pre-signed URLs are credentials: records keep the names only.
        source: 'uri' in source ? `uri:${redactUrl(source.uri)}` : `image:${source.imageId}`,
      };
      await tx.computeImages.insert(image);
      // The full uri only sealed, for a restart to resume; the runner drops `sealed` when the
      // operation ends (OperationRepo.finish).
      const params = 'uri' in source
        ? { uri: redactUrl(source.uri), sealed: { uri: this.imports.box.seal(source.uri) } }
        : { ...source };
      return { resourceId: image.id, folderId: image.folderId, details: details(image), params: { ...params, requestedMinDiskSize: input.minDiskSize } };
    });
  }

  async update(input: UpdateInput, caller: Caller): Promise<Operation> {
    const patch = applyUpdateMask(input.paths, ['name', 'description', 'min_disk_size', 'labels'], {
      name: input.name,
      description: input.description,
      min_disk_size: input.minDiskSize,
      labels: input.labels,
    });
    return this.runner.submit(caller, OPS.update, async (tx) => {
      const image = await tx.computeImages.get(input.imageId);
      if (!image) throw new NotFoundError(`Image ${input.imageId} not found`);
      if (image.status === 'DELETING') throw new FailedPreconditionError(`Image ${image.id} is being deleted`);
      if (patch.name !== undefined && patch.name !== '' && patch.name !== image.name) {
        const other = await tx.computeImages.findByName(image.folderId, patch.name);
        if (other) throw new AlreadyExistsError(`Image with name ${patch.name} already exists in folder ${image.folderId}`);
      }
      return { resourceId: image.id, folderId: image.folderId, details: details(image), params: { patch } };
    });
  }

  async delete(imageId: string, caller: Caller): Promise<Operation> {
    return this.runner.submit(caller, OPS.delete, async (tx) => {
      const image = await tx.computeImages.get(imageId);
      if (!image) throw new NotFoundError(`Image ${imageId} not found`);
      if (image.status === 'DELETING') throw new FailedPreconditionError(`Image ${imageId} is being deleted`);
      if (image.status === 'CREATING') {
        throw new FailedPreconditionError(`Image ${imageId} is being created; cancel its operation instead`);
      }
      await tx.computeImages.update({ ...image, status: 'DELETING' });
      return { resourceId: image.id, folderId: image.folderId, details: details(image) };
    });
  }
}

function checkSource(source: CreateSource): { uri: string } | { imageId: string } {
  if ('uri' in source) {
    let url: URL;
    try {
      url = new URL(source.uri);
    } catch {
      throw InvalidArgumentError.field('uri', 'Value must be an absolute http or https URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw InvalidArgumentError.field('uri', `Scheme ${url.protocol.replace(':', '')} is not supported; use http or https`);
    }
    if (url.username || url.password) {
      throw InvalidArgumentError.field('uri', 'Credentials (user:password@) are not accepted; put them in pre-signed query parameters');
    }
    return { uri: source.uri };
  }
  if ('imageId' in source) return { imageId: source.imageId };
  if ('diskId' in source) throw new UnimplementedError('Creating an image from a disk is not supported by clouddesk; use uri or image_id');
  if ('snapshotId' in source) throw new UnimplementedError('Creating an image from a snapshot is not supported by clouddesk; use uri or image_id');
  throw InvalidArgumentError.field('source', 'Exactly one of image_id, disk_id, snapshot_id, uri must be set');
}
