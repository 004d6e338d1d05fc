/**
 * A consistent copy of a live embedded database through SQLite's online backup API, for
 * `clouddesk backup`. All pages are copied in one step, inside one read transaction of the
 * source, so the copy is the database as of one commit: a server writing meanwhile neither
 * waits nor makes the backup start over. The copy is checked (`PRAGMA integrity_check`).
 *
 *   await snapshotDatabase('/data/clouddesk.db', '/backups/b1/clouddesk.db');
 *   const shas = referencedBlobs(db, tables);
 */
import Database from 'better-sqlite3';
import { SqlBlobRefRepo } from '../sql/blob-refs.js';
import type { AnyTable } from '../sql/storage-part.js';
import { SqliteExecutor } from './sqlite-store.js';

/** Pages per backup step: more than any database has, so one step copies it all. */
const ALL_PAGES = 0x7fffffff;

export async function snapshotDatabase(sourceFile: string, destFile: string): Promise<void> {
  const source = new Database(sourceFile, { readonly: true, fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    await source.backup(destFile, { progress: () => ALL_PAGES });
  } finally {
    source.close();
  }
  // The copy says WAL like its source; a single file (rollback journal) travels better. The
  // server switches it back to WAL when it opens it.
  const copy = new Database(destFile, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  checkIntegrity(destFile);
}

/** Throws unless SQLite finds the file whole. */
export function checkIntegrity(file: string): void {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const result = db.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new Error(`${file} is damaged: ${String(result)}`);
  } finally {
    db.close();
  }
}

/** The blobs a database file references, over every table with blob columns. */
export async function referencedBlobs(file: string, tables: readonly AnyTable[]): Promise<Set<string>> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return await new SqlBlobRefRepo(new SqliteExecutor(db), tables).allReferenced();
  } finally {
    db.close();
  }
}
