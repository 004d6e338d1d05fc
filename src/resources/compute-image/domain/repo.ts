/** The Compute image repository port; storage/table.ts implements it over SQL. */
import type { ListQuery, Page } from '../../../domain/listing/list-query.js';
import type { ComputeImage } from './compute-image.js';

export interface ComputeImageRepo {
  get(id: string): Promise<ComputeImage | undefined>;
  list(q: ListQuery): Promise<Page<ComputeImage>>;
  findByName(folderId: string, name: string): Promise<ComputeImage | undefined>;
  latestByFamily(folderId: string, family: string): Promise<ComputeImage | undefined>;
  /** Images in the folder (all statuses) and their total storage_size, without `excludeId`. */
  countInFolder(folderId: string, excludeId?: string): Promise<{ count: number; storageSize: number }>;
  /** URL imports not finished yet (CREATING from a uri), in all folders. */
  countImports(): Promise<number>;
  insert(image: ComputeImage): Promise<void>;
  update(image: ComputeImage): Promise<boolean>;
  delete(id: string): Promise<boolean>;
}

declare module '../../../domain/store.js' {
  interface Repos {
    computeImages: ComputeImageRepo;
  }
}
