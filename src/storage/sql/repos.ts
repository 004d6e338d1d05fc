/**
 * Builds `Repos` over one executor (a connection or a transaction) from the parts list: each
 * part adds its repositories, and blob references are answered over every table that has blob
 * columns.
 *
 *   const repos = sqlRepos(executor, PARTS.map((p) => p.storage));
 */
import type { Repos } from '../../domain/store.js';
import type { SqlExecutor } from './executor.js';
import type { StoragePart } from './storage-part.js';
import { SqlBlobRefRepo } from './blob-refs.js';

export function sqlRepos(db: SqlExecutor, parts: readonly StoragePart[]): Repos {
  const repos: Record<string, unknown> = {};
  for (const part of parts) {
    for (const [key, repo] of Object.entries(part.repos(db))) {
      if (key in repos) throw new Error(`two parts provide the repository ${key}`);
      repos[key] = repo;
    }
  }
  repos['blobRefs'] = new SqlBlobRefRepo(db, parts.flatMap((p) => p.tables ?? []));
  return repos as unknown as Repos;
}
