/** The desktop repository port; storage/table.ts implements it over SQL. */
import type { ListQuery, Page } from '../../../domain/listing/list-query.js';
import type { Desktop } from './desktop.js';

export interface DesktopRepo {
  get(id: string): Promise<Desktop | undefined>;
  /** A folder's desktops, or one group's (q.folderId then holds the group id: see `inGroup`). */
  list(q: ListQuery): Promise<Page<Desktop>>;
  /** One page of a group's desktops. */
  listInGroup(groupId: string, q: ListQuery): Promise<Page<Desktop>>;
  allInGroup(groupId: string): Promise<Desktop[]>;
  /** Every desktop in one state (start-up: the ACTIVE ones whose machines must run again). */
  allWithStatus(status: Desktop['status']): Promise<Desktop[]>;
  countInGroup(groupId: string): Promise<number>;
  countInFolder(folderId: string): Promise<number>;
  /** Every desktop of a folder (quota usage). */
  allInFolder(folderId: string): Promise<Desktop[]>;
  /** An ACTIVE desktop of the group with no users, not locked: a hot standby. */
  findStandby(groupId: string): Promise<Desktop | undefined>;
  countStandby(groupId: string): Promise<number>;
  insert(desktop: Desktop): Promise<void>;
  update(desktop: Desktop): Promise<boolean>;
  delete(id: string): Promise<boolean>;
}

declare module '../../../domain/store.js' {
  interface Repos {
    desktops: DesktopRepo;
  }
}
