/**
 * The files of an embedded installation that `backup` and `restore` carry besides the
 * database and the blobs, and the manifest a backup ends with. The keys must travel with the
 * data: page tokens are signed with page-token.key and sealed import URIs are opened with
 * import-uri.key. The audit dir (`--audit-dir`) is a log, rotated and shipped like one, and the
 * lock file belongs to a running server: neither is part of a backup.
 *
 *   await writeManifest(dir, { tables, blobs });
 *   const m = await readManifest(dir);   // throws when dir holds no complete backup
 */
import Database from 'better-sqlite3';
import { copyFile, chmod, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errCode } from '../../blobs/disk-io.js';
import { BLOB_TABLES } from '../../resources.js';
import { sourceTables } from '../../storage/sqlite/sqlite-store.js';

export { BLOB_TABLES };

export const DB_FILE = 'clouddesk.db';
export const BLOBS_DIR = 'blobs';
export const MANIFEST = 'backup.json';
/** The keys every replica must share; on PostgreSQL they live in the database (`cluster_secrets`). */
export const SHARED_KEY_FILES = ['page-token.key', 'import-uri.key'] as const;
/** Copied when present (bootstrap-token is absent when the credential comes from the environment). */
export const KEY_FILES = [...SHARED_KEY_FILES, 'bootstrap-token'] as const;

export interface Manifest {
  readonly format: 1;
  readonly createdAt: string;
  /** Row counts of the snapshot, table by table. */
  readonly tables: Record<string, number>;
  /** Blobs the snapshot references (all of them are in blobs/). */
  readonly blobs: number;
  readonly files: string[];
}

/** Copies the key files `from` has; returns their names. Files end 0600. */
export async function copyKeyFiles(fromDir: string, toDir: string): Promise<string[]> {
  const copied: string[] = [];
  for (const name of KEY_FILES) {
    try {
      await copyFile(join(fromDir, name), join(toDir, name));
    } catch (err) {
      if (errCode(err) === 'ENOENT') continue;
      throw err;
    }
    await chmod(join(toDir, name), 0o600);
    copied.push(name);
  }
  return copied;
}

/** Written last and synced: a backup dir with a manifest is complete. */
export async function writeManifest(dir: string, m: Manifest): Promise<void> {
  const fh = await open(join(dir, MANIFEST), 'wx', 0o600);
  try {
    await fh.writeFile(`${JSON.stringify(m, null, 2)}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export async function readManifest(dir: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST), 'utf8');
  } catch (err) {
    if (errCode(err) === 'ENOENT') throw new Error(`${dir} holds no complete backup (${MANIFEST} is missing)`);
    throw err;
  }
  const m = JSON.parse(text) as Manifest;
  if (m.format !== 1) throw new Error(`${dir}/${MANIFEST}: unknown backup format ${String(m.format)}`);
  return m;
}

/** Row counts of every table of a SQLite file, for the manifest and the check after a restore. */
export function rowCounts(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const q = (t: string): string => `"${t.replaceAll('"', '""')}"`;
    return Object.fromEntries(sourceTables(db).map((t) => [t, (db.prepare(`SELECT COUNT(*) AS n FROM ${q(t)}`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}
