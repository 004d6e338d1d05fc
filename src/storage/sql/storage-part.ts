/**
 * What one part of the system (a resource, or a shared part such as the audit outbox) brings
 * to a SQL store: its migration track, the repositories it adds to `Repos` over an executor,
 * and its table definitions (blob columns, the embedded store's row cache). Stores are built
 * from the list of parts (src/resources.ts) and never name a table themselves.
 *
 *   export const desktopImageStorage = defineStorage({
 *     track: 'desktop-image',
 *     migrations: [{ version: 1, name: 'desktop images', sql: [...] }],
 *     repos: (db) => ({ desktopImages: new SqlDesktopImageRepo(db) }),
 *     tables: [DESKTOP_IMAGES],
 *     cached: { desktopImages: DESKTOP_IMAGES },
 *   });
 */
import type { Repos } from '../../domain/store.js';
import type { SqlExecutor } from './executor.js';
import type { Migration } from './migrations.js';
import type { SqlTable } from './table.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTable = SqlTable<any>;

export interface StoragePart<R extends Partial<Repos> = Partial<Repos>> {
  /** Migration track: its steps are numbered within it and applied in order. */
  readonly track: string;
  readonly migrations: readonly Migration[];
  repos(db: SqlExecutor): R;
  readonly tables?: readonly AnyTable[];
  /** Repositories (by their key in Repos) whose rows an embedded store may cache, with their table. */
  readonly cached?: Partial<Record<keyof R & string, AnyTable>>;
}

export function defineStorage<R extends Partial<Repos>>(part: StoragePart<R>): StoragePart<R> {
  return part;
}
