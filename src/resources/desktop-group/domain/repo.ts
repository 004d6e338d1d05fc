/** The desktop group repository port; storage/table.ts implements it over SQL. */
import type { ListQuery, Page } from '../../../domain/listing/list-query.js';
import type { DesktopGroup } from './desktop-group.js';

export interface DesktopGroupRepo {
  get(id: string): Promise<DesktopGroup | undefined>;
  list(q: ListQuery): Promise<Page<DesktopGroup>>;
  findByName(folderId: string, name: string): Promise<DesktopGroup | undefined>;
  /** A group that names this desktop image, if any (images in use, docs/decisions.md point 19). */
  findUsingImage(imageId: string): Promise<DesktopGroup | undefined>;
  /** Groups with a start/stop schedule. */
  listScheduled(): Promise<DesktopGroup[]>;
  countInFolder(folderId: string): Promise<number>;
  insert(group: DesktopGroup): Promise<void>;
  update(group: DesktopGroup): Promise<boolean>;
  delete(id: string): Promise<boolean>;
}

declare module '../../../domain/store.js' {
  interface Repos {
    desktopGroups: DesktopGroupRepo;
  }
}
