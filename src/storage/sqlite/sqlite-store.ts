/**
 * The embedded store: one SQLite file in WAL mode. Writes run on one connection, one
 * transaction at a time (an async mutex, since a transaction may await between statements);
 * reads run on a second connection and see only committed data.
 *
 *   const store = await SqliteStore.open('/data/clouddesk.db');
 */
import Database from 'better-sqlite3';
import type { Repos, Store } from '../store.js';
import type { SqlExecutor, SqlValue } from '../sql/executor.js';
import { sqlRepos } from '../sql/repos.js';
import { DesktopImageCache } from './desktop-image-cache.js';
import type { SqlDesktopImageRepo } from '../sql/desktop-images.js';
import { MIGRATIONS, statementsFor } from '../sql/migrations.js';
import { loggers } from '../../logger.js';

class SqliteExecutor implements SqlExecutor {
  private readonly cache = new Map<string, Database.Statement>();
  constructor(private readonly db: Database.Database) {}

  private stmt(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }
  async all<T>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    return this.stmt(sql).all(...params) as T[];
  }
  async get<T>(sql: string, params: SqlValue[] = []): Promise<T | undefined> {
    return this.stmt(sql).get(...params) as T | undefined;
  }
  async run(sql: string, params: SqlValue[] = []): Promise<number> {
    return this.stmt(sql).run(...params).changes;
  }
}

export class SqliteStore implements Store {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly writeRepos: Repos;
  private readonly readRepos: Repos;
  private closed = false;
  private readonly cache = new DesktopImageCache(10_000);

  private constructor(private readonly writer: Database.Database, private readonly reader: Database.Database) {
    const write = sqlRepos(new SqliteExecutor(writer));
    const read = sqlRepos(new SqliteExecutor(reader));
    this.writeRepos = { ...write, desktopImages: this.cache.writer(write.desktopImages) };
    this.readRepos = { ...read, desktopImages: this.cache.reader(read.desktopImages as SqlDesktopImageRepo) };
  }

  static async open(file: string): Promise<SqliteStore> {
    const writer = new Database(file);
    writer.pragma('journal_mode = WAL');
    // FULL: a commit is on disk before the RPC that made it is acknowledged.
    writer.pragma('synchronous = FULL');
    writer.pragma('busy_timeout = 5000');
    writer.pragma('foreign_keys = ON');
    migrate(writer);
    const reader = new Database(file, { readonly: true });
    reader.pragma('busy_timeout = 5000');
    return new SqliteStore(writer, reader);
  }

  async read<T>(fn: (tx: Repos) => Promise<T>): Promise<T> {
    return fn(this.readRepos);
  }

  transact<T>(fn: (tx: Repos) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.closed) throw new Error('store is closed');
      this.writer.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn(this.writeRepos);
        this.writer.exec('COMMIT');
        this.cache.evictTouched();
        return out;
      } catch (err) {
        if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
        this.cache.evictTouched();
        throw err;
      }
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    await this.tail;
    this.closed = true;
    this.reader.close();
    this.writer.close();
  }
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => Number(r.version)));
  // By ascending version, whatever the array order (migrations are appended by parallel work).
  for (const m of [...MIGRATIONS].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      for (const sql of statementsFor(m, 'sqlite')) db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
    })();
    loggers.store.info({ version: m.version, name: m.name }, 'migration applied');
  }
}
