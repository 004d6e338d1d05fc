/** The desktop image repository port; storage/table.ts implements it over SQL. */
import type { ListQuery, Page } from '../../../domain/listing/list-query.js';
import type { DesktopImage } from './desktop-image.js';

export interface DesktopImageRepo {
  get(id: string): Promise<DesktopImage | undefined>;
  list(q: ListQuery): Promise<Page<DesktopImage>>;
  insert(image: DesktopImage): Promise<void>;
  /** Replaces the mutable fields; returns false when the row is gone. */
  update(image: DesktopImage): Promise<boolean>;
  delete(id: string): Promise<boolean>;
  countInFolder(folderId: string): Promise<{ count: number; storageSize: number }>;
}

declare module '../../../domain/store.js' {
  interface Repos {
    desktopImages: DesktopImageRepo;
  }
}
