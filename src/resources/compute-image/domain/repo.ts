/** The Compute image repository port; storage/table.ts implements it over SQL. */
import type { ListQuery, Page } from '../../../domain/listing/list-query.js';
import type { ComputeImage } from './compute-image.js';

export interface ComputeImageRepo {
  get(id: string): Promise<ComputeImage | undefined>;
  list(q: ListQuery): Promise<Page<ComputeImage>>;
  findByName(folderId: string, name: string): Promise<ComputeImage | undefined>;
  latestByFamily(folderId: string, family: string): Promise<ComputeImage | undefined>;
  insert(image: ComputeImage): Promise<void>;
  update(image: ComputeImage): Promise<boolean>;
  delete(id: string): Promise<boolean>;
}

declare module '../../../domain/store.js' {
  interface Repos {
    computeImages: ComputeImageRepo;
  }
}
