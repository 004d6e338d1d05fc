/**
 * `clouddesk backup --data-dir DIR --to DIR`: a consistent snapshot of a running embedded
 * installation. The order makes a blob the snapshot needs impossible to lose:
 *
 *   1. hard-link every blob the live store has into the backup (cheap; a blob the server then
 *      deletes survives through its link);
 *   2. snapshot clouddesk.db with the online backup API (storage/sqlite/snapshot.ts);
 *   3. link the blobs the snapshot references that appeared after step 1, and drop the links
 *      the snapshot does not reference;
 *   4. copy the key files and write backup.json (the backup is complete once it is there).
 *
 * Everything the snapshot holds was committed, so every change acknowledged before the backup
 * started is in it. Modes: directories 0700, files 0600, blobs 0400 (as in the data dir).
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { optionReader, type RawConfig } from '../../config/options.js';
import { snapshotDatabase, referencedBlobs } from '../../storage/sqlite/snapshot.js';
import { DiskBlobStore } from '../../blobs/disk-blob-store.js';
import { linkBlob } from '../../blobs/copy-blobs.js';
import { BLOB_TABLES, BLOBS_DIR, copyKeyFiles, DB_FILE, rowCounts, writeManifest } from './installation-files.js';
import { adminAction, say, tableOption } from './shared.js';

export function backupCommand(): Command {
  return new Command('backup')
    .description('Take a consistent snapshot of an embedded installation (running or not) into an empty directory')
    .addOption(tableOption('dataDir', { mandatory: true }))
    .addOption(new Option('--to <dir>', 'where the backup goes: a new or empty directory').makeOptionMandatory())
    .action(adminAction<RawConfig & { to: string }>('backup', async (raw) => backup(optionReader(raw)('dataDir'), resolve(raw.to))));
}

async function backup(dataDir: string, to: string): Promise<boolean> {
  if (!existsSync(join(dataDir, DB_FILE))) throw new Error(`no embedded installation in ${dataDir} (${DB_FILE} does not exist)`);
  if (existsSync(to) && (await readdir(to)).length > 0) throw new Error(`--to: ${to} is not empty`);
  await mkdir(to, { recursive: true, mode: 0o700 });

  const live = await DiskBlobStore.open(join(dataDir, BLOBS_DIR));
  const copy = await DiskBlobStore.open(join(to, BLOBS_DIR));
  for await (const sha of live.list()) await linkBlob(live, copy, sha);

  await snapshotDatabase(join(dataDir, DB_FILE), join(to, DB_FILE));
  const referenced = await referencedBlobs(join(to, DB_FILE), BLOB_TABLES);
  for (const sha of referenced) {
    if (!(await linkBlob(live, copy, sha))) throw new Error(`blob ${sha}, referenced by the snapshot, is missing in ${live.root}`);
  }
  for await (const sha of copy.list()) if (!referenced.has(sha)) await copy.delete(sha);
  await rm(join(to, BLOBS_DIR, 'tmp'), { recursive: true, force: true });

  const files = await copyKeyFiles(dataDir, to);
  const tables = rowCounts(join(to, DB_FILE));
  await writeManifest(to, { format: 1, createdAt: new Date().toISOString(), tables, blobs: referenced.size, files });
  say(`backup of ${dataDir} in ${to}: ${Object.keys(tables).length} tables, ${referenced.size} blobs, ${files.join(', ') || 'no key files'}`);
  return true;
}
