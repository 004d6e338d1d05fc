/**
 * `clouddesk migrate --data-dir DIR --database URL [--blob-store URL]`: moves a stopped embedded
 * installation to PostgreSQL and a shared blob store. Steps, each safe to run again:
 *
 *   1. take the data dir's lock (refuse while a server runs on it), bring the SQLite schema up
 *      to date, as `serve` would, and record the data dir's shared keys (page-token.key,
 *      import-uri.key) in its `cluster_secrets` table, where replicas on PostgreSQL read them,
 *      so page tokens and sealed import URIs made before the move keep working;
 *   2. migrate the PostgreSQL schema (the same tracks, under the replicas' advisory lock) and
 *      stop if it already holds other keys (a replica ran on it before the move);
 *   3. copy every table, row by row, upserting by primary key (storage/transfer/copy-tables.ts);
 *   4. copy every blob the target lacks, streaming (blobs/copy-blobs.ts);
 *   5. verify: every table's row count equal, every referenced blob present in the target with
 *      the right SHA-256 (read back as a stream). Exit 1 when anything differs.
 *
 * Without `--blob-store` the blobs stay in `<data-dir>/blobs` (still verified).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Command } from 'commander';
import { optionReader, labelOf, type RawConfig } from '../../config/options.js';
import { ConfigError } from '../../config/parsers.js';
import { STORAGE } from '../../resources.js';
import { holdDataDirLock } from '../../data-dir-lock.js';
import { SqliteStore } from '../../storage/sqlite/sqlite-store.js';
import type { PostgresStore } from '../../storage/postgres/postgres-store.js';
import { compareCounts, copyTables } from '../../storage/transfer/copy-tables.js';
import { DiskBlobStore } from '../../blobs/disk-blob-store.js';
import { openBlobStore } from '../../blobs/open-blob-store.js';
import { copyBlobs, verifyBlobs } from '../../blobs/copy-blobs.js';
import { adminAction, say, tableOption } from './shared.js';
import { BLOBS_DIR, DB_FILE, SHARED_KEY_FILES } from './installation-files.js';
import { errCode } from '../../blobs/disk-io.js';
import type { BlobStore } from '../../domain/blobs/blob-store.js';

/** `--blob-store` may be a plain path here, relative ones included. */
const asBlobStoreUrl = (t: string | undefined): string | undefined =>
  t === undefined || t === '' || /^(\/|file:|s3:)/.test(t) ? t : resolve(t);

export function migrateCommand(): Command {
  return new Command('migrate')
    .description('Copy a stopped embedded installation (SQLite and blobs) into PostgreSQL and a blob store, then verify it')
    .addOption(tableOption('dataDir', { mandatory: true }))
    .addOption(tableOption('database', { mandatory: true }))
    .addOption(tableOption('blobStore'))
    .addOption(tableOption('s3Endpoint'))
    .addOption(tableOption('s3Region'))
    .addHelpText('after', `
Stop the server on --data-dir first; migrate refuses a data dir in use. Safe to run again: rows
are upserted by primary key, blobs the target has are skipped, and each run verifies row counts
and blob SHA-256s. The data dir's page-token.key and import-uri.key are stored in the database,
where every replica reads them; afterwards the data dir is not needed (docs/deploy.md).`)
    .action(adminAction<RawConfig>('migrate', (raw) => migrate({ ...raw, blobStore: asBlobStoreUrl(raw.blobStore) })));
}

async function migrate(raw: RawConfig): Promise<boolean> {
  const get = optionReader(raw);
  const dataDir = get('dataDir');
  const database = get('database');
  const blobStore = get('blobStore');
  const s3 = { endpoint: get('s3Endpoint'), region: get('s3Region') };
  if (!database) throw new ConfigError(`${labelOf('database')}: required`);
  if (s3.endpoint && !blobStore?.startsWith('s3://')) throw new ConfigError(`${labelOf('s3Endpoint')}: only with an s3:// ${labelOf('blobStore')}`);
  const dbFile = join(dataDir, DB_FILE);
  if (!existsSync(dbFile)) throw new Error(`no embedded installation in ${dataDir} (${dbFile} does not exist)`);

  const lock = holdDataDirLock(dataDir);
  try {
    // Opening the embedded store applies its pending migrations, so both schemas are current.
    const embedded = await SqliteStore.open(dbFile, STORAGE);
    const keys = await sharedKeys(dataDir);
    await embedded.transact(async (tx) => {
      for (const [name, value] of keys) await tx.clusterSecrets.getOrCreate(name, value);
    });
    const referenced = await embedded.read((tx) => tx.blobRefs.allReferenced());
    await embedded.close();

    // Loaded here, not at the top: every other command (serve among them) runs without `pg`.
    const { PostgresStore } = await import('../../storage/postgres/postgres-store.js');
    const target = await PostgresStore.open(database, STORAGE, { poolSize: 2 });
    const source = new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      say('schema: PostgreSQL migrated');
      if (!(await sameKeys(keys, target))) return false;
      const tables = await copyTables(source, target.pool, (t) => say(`table ${t.table}: ${t.rows} rows copied`));
      const blobs = await openBlobStore({ dataDir, blobStore, s3 }, { holdsDataDirLock: true });
      const ok = (await copyAllBlobs(dataDir, blobStore, blobs, referenced)) && (await verify(source, target, blobs, referenced));
      say(ok ? `migrated and verified: ${tables.length} tables, ${referenced.size} referenced blobs` : 'verification FAILED');
      return ok;
    } finally {
      source.close();
      await target.close();
    }
  } finally {
    lock.release();
  }
}

/** The shared keys the data dir holds, by name (a key not made yet is made by the first replica). */
async function sharedKeys(dataDir: string): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  for (const name of SHARED_KEY_FILES) {
    try {
      keys.set(name, (await readFile(join(dataDir, name), 'utf8')).trim());
    } catch (err) {
      if (errCode(err) !== 'ENOENT') throw err;
    }
  }
  return keys;
}

/**
 * Whether the database holds no shared key, or the same ones. Another value means a replica ran
 * on it before the move, and page tokens and sealed import URIs of the old installation would
 * not open there.
 */
async function sameKeys(keys: Map<string, string>, target: PostgresStore): Promise<boolean> {
  const stored = await target.transact(async (tx) => {
    const found = new Map<string, string>();
    for (const name of keys.keys()) found.set(name, await tx.clusterSecrets.getOrCreate(name, keys.get(name)!));
    return found;
  });
  let ok = true;
  for (const [name, value] of keys) {
    if (stored.get(name) === value) say(`key ${name}: carried in the database`);
    else {
      say(`key ${name}: the database already holds a different one (a replica ran on it before the move); migrate into a new database`);
      ok = false;
    }
  }
  return ok;
}

/** Copies the embedded blobs into `to`, the target blob store, unless that is where they are. */
async function copyAllBlobs(dataDir: string, blobStore: string | undefined, to: BlobStore, referenced: Set<string>): Promise<boolean> {
  const sourceDir = join(dataDir, BLOBS_DIR);
  if (!blobStore || resolve(blobStore) === resolve(sourceDir)) {
    say(`blobs: staying in ${sourceDir}`);
    return true;
  }
  const from = await DiskBlobStore.open(sourceDir);
  const present = new Set<string>();
  for await (const sha of from.list()) present.add(sha);
  const lost = [...referenced].filter((sha) => !present.has(sha));
  for (const sha of lost) say(`blob ${sha}: referenced but missing in ${sourceDir}`);
  const { copied, skipped } = await copyBlobs(from, to, present);
  say(`blobs: ${copied} copied, ${skipped} already there`);
  return lost.length === 0;
}

async function verify(source: Database.Database, target: PostgresStore, blobs: BlobStore, referenced: Set<string>): Promise<boolean> {
  const counts = await compareCounts(source, target.pool);
  for (const c of counts) say(`table ${c.table}: ${c.source} rows in SQLite, ${c.target} in PostgreSQL`);
  const inTarget = await target.read((tx) => tx.blobRefs.allReferenced());
  const bad = await verifyBlobs(blobs, new Set([...referenced, ...inTarget]));
  for (const b of bad) say(`blob ${b.sha256}: ${b.problem} in the target blob store`);
  say(`verified: ${counts.length === 0 ? 'every row count equal' : `${counts.length} table(s) differ`}, ${bad.length === 0 ? 'every referenced blob present with its SHA-256' : `${bad.length} blob(s) bad`}`);
  return counts.length === 0 && bad.length === 0;
}
