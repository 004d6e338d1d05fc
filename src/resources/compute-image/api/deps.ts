/** What the Compute ImageService handlers need from the domain. */
import type { ComputeImages } from '../domain/compute-images.js';
import type { OperationWire } from '../../../api/operation-wire.js';

export interface Deps {
  readonly images: ComputeImages;
  /** For ListOperations. */
  readonly wire: OperationWire;
}

/** The permission family of Compute images. */
export const COMPUTE = 'compute.images';
