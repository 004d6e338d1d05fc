/**
 * The embedded store: one SQLite file in WAL mode. Writes run on one connection, one
 * transaction at a time (a queue, since a transaction may await between statements), with
 * group commit: transactions queued together commit with one fsync (see `transact`); reads run
 * on a second connection and see only committed data.
 *
 * Tables a part marks `cached` are read through a row cache (row-cache.ts).
 *
 *   const store = await SqliteStore.open('/data/clouddesk.db', PARTS.map((p) => p.storage));
 */
import Database from 'better-sqlite3';
import type { Repos, Store, StoreAdmin } from '../../domain/store.js';
import { InvalidArgumentError } from '../../domain/errors.js';
import type { NoticeListener, SqlExecutor, SqlValue } from '../sql/executor.js';
import { sqlRepos } from '../sql/repos.js';
import type { SqlRepo } from '../sql/sql-repo.js';
import type { SqlTable } from '../sql/table.js';
import type { StoragePart } from '../sql/storage-part.js';
import { LEGACY_TABLES, LEGACY_VERSIONS, pendingSteps, statementsFor, stepKey, STEPS_TABLE, type MigrationTrack } from '../sql/migrations.js';
import { RowCache } from './row-cache.js';
import { loggers } from '../../logger.js';

/** The row cache bound when the caller names none (the --row-cache-bytes default). */
export const DEFAULT_ROW_CACHE_BYTES = 32 * 1024 ** 2;

/**
 * Query planner statistics: without them SQLite answers a filtered List (`name IN (...)`) by
 * walking the whole folder in creation order, which grows with the folder. `PRAGMA optimize`
 * with mask 0x10002 analyses every table whose size changed a lot since its last analysis (or
 * that has none), reading at most ANALYSIS_LIMIT rows of each index, so it stays cheap at any
 * size; it runs at open and then after every OPTIMIZE_EVERY commits.
 */
const ANALYSIS_LIMIT = 1000;
/**
 * SQLite's page cache per connection, in KiB. better-sqlite3 builds SQLite with 16 MiB, which
 * two connections fill on any walk through a large table: 32 MiB of RSS holding pages the OS
 * page cache holds anyway. 4 MiB each keeps the B-tree interiors and hot pages.
 */
const PAGE_CACHE_KIB = 4000;
const OPTIMIZE_EVERY = 1000;
/** The most transactions one commit carries. */
const MAX_BATCH = 64;

interface Pending {
  fn: (tx: Repos) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export class SqliteExecutor implements SqlExecutor {
  readonly dialect = 'sqlite';
  /** Notices of the transaction (savepoint) running now; the store takes them at its end. */
  notices: [topic: string, payload: string][] = [];
  private readonly cache = new Map<string, Database.Statement>();
  constructor(private readonly db: Database.Database) {}

  private stmt(sql: string, pluck = false): Database.Statement {
    const key = pluck ? `pluck\n${sql}` : sql;
    let s = this.cache.get(key);
    if (!s) {
      s = this.db.prepare(sql);
      if (pluck) s.pluck();
      this.cache.set(key, s);
    }
    return s;
  }
  async all<T>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    return this.stmt(sql).all(...params) as T[];
  }
  async get<T>(sql: string, params: SqlValue[] = []): Promise<T | undefined> {
    return this.stmt(sql).get(...params) as T | undefined;
  }
  async column<T>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    return this.stmt(sql, true).all(...params) as T[];
  }
  async run(sql: string, params: SqlValue[] = []): Promise<number> {
    return this.stmt(sql).run(...params).changes;
  }
  notice(topic: string, payload: string): void {
    this.notices.push([topic, payload]);
  }
}

export class SqliteStore implements Store, StoreAdmin {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly writeRepos: Repos;
  private readonly readRepos: Repos;
  private closed = false;
  private readonly caches: RowCache<{ id: string }>[] = [];
  private commits = 0;
  /** The batch still taking transactions: queued, not started. */
  private forming: Pending[] | undefined;

  private readonly writeExecutor: SqliteExecutor;
  private deliver: NoticeListener = () => undefined;

  private constructor(
    private readonly writer: Database.Database,
    private readonly reader: Database.Database,
    parts: readonly StoragePart[],
    rowCacheBytes: number,
  ) {
    this.writeExecutor = new SqliteExecutor(writer);
    const write = sqlRepos(this.writeExecutor, parts) as unknown as Record<string, SqlRepo<{ id: string }>>;
    const read = sqlRepos(new SqliteExecutor(reader), parts) as unknown as Record<string, SqlRepo<{ id: string }>>;
    // The bound is shared out evenly between the cached tables.
    const cachedTables = parts.reduce((n, part) => n + Object.keys(part.cached ?? {}).length, 0);
    for (const part of parts) {
      for (const [key, table] of Object.entries(part.cached ?? {})) {
        const cache = new RowCache<{ id: string }>(table as SqlTable<{ id: string }>, Math.floor(rowCacheBytes / cachedTables));
        this.caches.push(cache);
        write[key] = cache.writer(write[key]!);
        read[key] = cache.reader(read[key]!);
      }
    }
    this.writeRepos = write as unknown as Repos;
    this.readRepos = read as unknown as Repos;
  }

  /** One process per data dir: `clouddesk serve` holds the data dir's lock (src/data-dir-lock.ts) before it opens the store. */
  static async open(file: string, parts: readonly StoragePart[], rowCacheBytes = DEFAULT_ROW_CACHE_BYTES): Promise<SqliteStore> {
    const writer = new Database(file);
    writer.pragma('journal_mode = WAL');
    // FULL: a commit is on disk before the RPC that made it is acknowledged.
    writer.pragma('synchronous = FULL');
    writer.pragma('busy_timeout = 5000');
    writer.pragma('foreign_keys = ON');
    writer.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
    migrate(writer, parts);
    writer.pragma(`analysis_limit = ${ANALYSIS_LIMIT}`);
    writer.pragma('optimize = 0x10002');
    const reader = new Database(file, { readonly: true });
    reader.pragma('busy_timeout = 5000');
    reader.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
    return new SqliteStore(writer, reader, parts, rowCacheBytes);
  }

  /** Where the notices of committed transactions go: this process's change feed. */
  onNotice(deliver: NoticeListener): void {
    this.deliver = deliver;
  }

  async read<T>(fn: (tx: Repos) => Promise<T>): Promise<T> {
    return fn(this.readRepos);
  }

  /**
   * Group commit: transactions that arrive while the writer is busy wait together and then run
   * one after another inside one SQLite transaction, each in its own savepoint (one that fails
   * is rolled back alone), and commit with one fsync. Each caller's promise settles only after
   * that COMMIT: nothing is acknowledged before it is durable. With no concurrency a batch is
   * one transaction, as before.
   *
   * A batch starts one event-loop turn after its first transaction arrived (setImmediate), not
   * at once: the COMMIT's fsync blocks this thread, so requests that came in meanwhile are read
   * in one turn, and their transactions would otherwise each start (and fsync) a batch of their
   * own whenever no transaction awaits I/O. The turn waits for nothing but the calls already
   * read off the sockets.
   */
  transact<T>(fn: (tx: Repos) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const item: Pending = { fn, resolve: resolve as (v: unknown) => void, reject };
      if (this.forming && this.forming.length < MAX_BATCH) return void this.forming.push(item);
      const batch: Pending[] = [item];
      this.forming = batch;
      const run = () => new Promise<void>((r) => setImmediate(r)).then(() => this.runBatch(batch));
      this.tail = this.tail.then(run, run);
    });
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    if (this.forming === batch) this.forming = undefined; // later arrivals form the next batch
    const done: { item: Pending; out: unknown; notices: [string, string][] }[] = [];
    let next = 0;
    try {
      if (this.closed) throw new Error('store is closed');
      this.writer.exec('BEGIN IMMEDIATE');
      for (; next < batch.length; next++) {
        const item = batch[next]!;
        this.writer.exec('SAVEPOINT tx');
        this.writeExecutor.notices = []; // a failed one's notices go with its savepoint
        try {
          done.push({ item, out: await item.fn(this.writeRepos), notices: this.writeExecutor.notices });
          this.writer.exec('RELEASE tx');
        } catch (err) {
          // SQLite rolls the whole transaction back on some errors (I/O, full disk): then
          // nothing of the batch stands, and the error is everyone's.
          if (!this.writer.inTransaction) throw err;
          this.writer.exec('ROLLBACK TO tx');
          this.writer.exec('RELEASE tx');
          item.reject(err);
        }
      }
      this.writer.exec('COMMIT');
    } catch (err) {
      if (this.writer.open && this.writer.inTransaction) this.writer.exec('ROLLBACK');
      this.evictTouched();
      for (const { item } of done) item.reject(err);
      for (const item of batch.slice(next)) item.reject(err);
      return;
    }
    this.evictTouched();
    if ((this.commits += 1) % OPTIMIZE_EVERY === 0) this.writer.pragma('optimize = 0x10002');
    // Heard before any caller is answered: what a change revoked is gone when its RPC returns.
    for (const { notices } of done) for (const [topic, payload] of notices) this.deliver(topic, payload);
    for (const { item, out } of done) item.resolve(out);
  }

  private evictTouched(): void {
    for (const cache of this.caches) cache.evictTouched();
  }

  /** Runs `fn` alone in the write queue, then forgets every cached row. */
  private exclusive(fn: () => void | Promise<void>): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.closed) throw new Error('store is closed');
      try {
        await fn();
      } finally {
        for (const cache of this.caches) cache.clear();
      }
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** The tables holding data: every table but SQLite's own, the legacy ones and the migration steps. */
  private dataTables(db: Database.Database): string[] {
    return sourceTables(db).filter((t) => t !== 'schema_steps');
  }

  wipe(): Promise<void> {
    return this.exclusive(() => {
      this.writer.pragma('foreign_keys = OFF');
      try {
        this.writer.transaction(() => {
          for (const t of this.dataTables(this.writer)) this.writer.exec(`DELETE FROM "${t}"`);
        })();
      } finally {
        this.writer.pragma('foreign_keys = ON');
      }
    });
  }

  snapshot(file: string): Promise<void> {
    // Inside the write queue, so the copy holds whole transactions only.
    return this.exclusive(async () => {
      await this.writer.backup(file);
    });
  }

  restore(file: string): Promise<void> {
    return this.exclusive(() => {
      const steps = (db: string) => JSON.stringify(this.writer.prepare(`SELECT track, version FROM ${db}.schema_steps ORDER BY track, version`).all());
      this.writer.prepare('ATTACH DATABASE ? AS snapshot').run(file);
      try {
        let same = false;
        try {
          same = steps('main') === steps('snapshot');
        } catch {
          same = false; // not a clouddesk database
        }
        if (!same) throw InvalidArgumentError.field('state', 'the snapshot is not a database of this server version (schema steps differ)');
        this.writer.pragma('foreign_keys = OFF');
        this.writer.transaction(() => {
          for (const t of this.dataTables(this.writer)) {
            this.writer.exec(`DELETE FROM main."${t}"`);
            this.writer.exec(`INSERT INTO main."${t}" SELECT * FROM snapshot."${t}"`);
          }
        })();
      } finally {
        this.writer.pragma('foreign_keys = ON');
        this.writer.exec('DETACH DATABASE snapshot');
      }
    });
  }

  async close(): Promise<void> {
    await this.tail;
    this.closed = true;
    this.reader.close();
    this.writer.close();
  }
}

function migrate(db: Database.Database, tracks: readonly MigrationTrack[]): void {
  db.exec(STEPS_TABLE);
  const applied = new Set((db.prepare('SELECT track, version FROM schema_steps').all() as { track: string; version: number }[]).map((r) => stepKey(r.track, Number(r.version))));
  if (applied.size === 0) adoptLegacyVersions(db, applied);
  for (const { track, migration: m } of pendingSteps(tracks, applied)) {
    db.transaction(() => {
      for (const sql of statementsFor(m, 'sqlite')) db.exec(sql);
      db.prepare('INSERT INTO schema_steps (track, version, name, applied_at) VALUES (?, ?, ?, ?)').run(track, m.version, m.name, Date.now());
    })();
    loggers.store.info({ track, version: m.version, name: m.name }, 'migration applied');
  }
}

/** A database made before migration tracks: record the steps its global versions stand for. */
function adoptLegacyVersions(db: Database.Database, applied: Set<string>): void {
  const legacy = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!legacy) return;
  const insert = db.prepare('INSERT INTO schema_steps (track, version, name, applied_at) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const { version } of db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]) {
      for (const [track, v] of LEGACY_VERSIONS[Number(version)] ?? []) {
        insert.run(track, v, `schema_migrations version ${version}`, Date.now());
        applied.add(stepKey(track, v));
      }
    }
  })();
}

/** A database's tables in creation order, without SQLite's own and the legacy ones (wipe, restore, `clouddesk migrate`). */
export function sourceTables(source: Database.Database): string[] {
  const rows = source.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid").all() as { name: string }[];
  return rows.map((r) => r.name).filter((n) => !LEGACY_TABLES.includes(n));
}
