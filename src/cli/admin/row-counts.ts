/** Row counts of every table of a SQLite file, for a backup's manifest and the check after a restore. */
import Database from 'better-sqlite3';
import { sourceTables } from '../../storage/transfer/copy-tables.js';

export function rowCounts(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const q = (t: string): string => `"${t.replaceAll('"', '""')}"`;
    return Object.fromEntries(sourceTables(db).map((t) => [t, (db.prepare(`SELECT COUNT(*) AS n FROM ${q(t)}`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}
