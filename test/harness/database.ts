/**
 * Which database test servers use. By default none is given, so each server keeps SQLite in its
 * data dir. With CLOUDDESK_TEST_DATABASE=postgres (set by scripts/run-tests.mjs for its second
 * pass) each data dir gets its own fresh PostgreSQL database, named after the run
 * (CLOUDDESK_TEST_RUN) and the data dir, so a server restarted on the same dir finds its data,
 * and the run's databases can be swept at its end even if a test left one behind.
 *
 *   const args = await databaseArgs(dataDir, opts.args);   // [] or ['--database', url]
 *   await dropDatabaseOf(dataDir);                          // at cleanup
 */
import { createHash } from 'node:crypto';
import { createTempDatabase, dropDatabases, TEST_DATABASE_PREFIX, TEST_SERVER_URL as serverUrl } from '../../src/storage/postgres/temp-store.js';

export const onPostgres = process.env['CLOUDDESK_TEST_DATABASE'] === 'postgres';
const run = (process.env['CLOUDDESK_TEST_RUN'] || 'local').toLowerCase().replace(/[^a-z0-9]/g, '');

/** The database of a data dir: `clouddesk_test_<run>_<hash of the dir>`. */
export function databaseNameOf(dataDir: string): string {
  return `${TEST_DATABASE_PREFIX}${run}_${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`;
}

/** Server arguments that select the database; none when a test chose its own `--database`. */
export async function databaseArgs(dataDir: string, args: readonly string[]): Promise<string[]> {
  if (!onPostgres || args.includes('--database')) return [];
  const db = await createTempDatabase(run, { name: databaseNameOf(dataDir), serverUrl });
  return ['--database', db.url];
}

export async function dropDatabaseOf(dataDir: string): Promise<void> {
  if (onPostgres) await dropDatabases(serverUrl, [databaseNameOf(dataDir)]);
}
