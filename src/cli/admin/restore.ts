/**
 * `clouddesk restore --from DIR --data-dir DIR [--force]`: brings a backup back into an empty
 * (or new) data dir; with `--force` into one that has data, which is replaced (the audit dir is
 * left alone). Refused while a server runs on the data dir. Blobs come first (streamed and
 * hash-checked), then the keys, and the database last under its final name by rename, so an
 * interrupted restore never leaves a database that references a missing blob. Afterwards the
 * row counts are compared with the backup's manifest.
 */
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { optionReader, type RawConfig } from '../../config/options.js';
import { holdDataDirLock, LOCK_FILE } from '../../data-dir-lock.js';
import { checkIntegrity, referencedBlobs } from '../../storage/sqlite/snapshot.js';
import { DiskBlobStore } from '../../blobs/disk-blob-store.js';
import { copyBlobs } from '../../blobs/copy-blobs.js';
import { BLOB_TABLES, BLOBS_DIR, copyKeyFiles, DB_FILE, KEY_FILES, readManifest, rowCounts } from './installation-files.js';
import { adminAction, say, tableOption } from './shared.js';

type Opts = RawConfig & { from: string; force?: boolean };

export function restoreCommand(): Command {
  return new Command('restore')
    .description('Restore a backup made by `clouddesk backup` into an empty data dir')
    .addOption(new Option('--from <dir>', 'the backup directory').makeOptionMandatory())
    .addOption(tableOption('dataDir', { mandatory: true }))
    .option('--force', 'replace the data of a non-empty data dir (the audit dir is kept)')
    .action(adminAction<Opts>('restore', (o) => restore(resolve(o.from), optionReader(o)('dataDir'), o.force === true)));
}

async function restore(from: string, dataDir: string, force: boolean): Promise<boolean> {
  const manifest = await readManifest(from);
  checkIntegrity(join(from, DB_FILE));
  const existing = existsSync(dataDir) ? (await readdir(dataDir)).filter((n) => n !== LOCK_FILE) : [];
  if (existing.length > 0 && !force) throw new Error(`--data-dir: ${dataDir} is not empty (use --force to replace its data)`);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const lock = holdDataDirLock(dataDir);
  try {
    if (force) {
      for (const name of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`, `${DB_FILE}-journal`, BLOBS_DIR, ...KEY_FILES]) {
        await rm(join(dataDir, name), { recursive: true, force: true });
      }
    }
    const { copied } = await copyBlobs(await DiskBlobStore.open(join(from, BLOBS_DIR)), await DiskBlobStore.open(join(dataDir, BLOBS_DIR)), await listAll(from));
    const files = await copyKeyFiles(from, dataDir);
    const partial = join(dataDir, `${DB_FILE}.restoring`);
    await copyFile(join(from, DB_FILE), partial);
    await chmod(partial, 0o600);
    await rename(partial, join(dataDir, DB_FILE));
    return verify(dataDir, manifest.tables, copied, files);
  } finally {
    lock.release();
  }
}

async function listAll(from: string): Promise<string[]> {
  const out: string[] = [];
  for await (const sha of (await DiskBlobStore.open(join(from, BLOBS_DIR))).list()) out.push(sha);
  return out;
}

async function verify(dataDir: string, expected: Record<string, number>, blobs: number, files: string[]): Promise<boolean> {
  const counts = rowCounts(join(dataDir, DB_FILE));
  const differ = Object.keys({ ...expected, ...counts }).filter((t) => counts[t] !== expected[t]);
  for (const t of differ) say(`table ${t}: ${String(counts[t])} rows restored, ${String(expected[t])} in the backup`);
  const store = await DiskBlobStore.open(join(dataDir, BLOBS_DIR));
  const missing: string[] = [];
  for (const sha of await referencedBlobs(join(dataDir, DB_FILE), BLOB_TABLES)) if (!(await store.has(sha))) missing.push(sha);
  for (const sha of missing) say(`blob ${sha}: referenced but missing`);
  say(`restored into ${dataDir}: ${Object.keys(counts).length} tables, ${blobs} blobs (SHA-256 checked), ${files.join(', ') || 'no key files'}`);
  return differ.length === 0 && missing.length === 0;
}
