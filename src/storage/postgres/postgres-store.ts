/**
 * The PostgreSQL store (`--database postgres://...`): the shared SQL repositories, unchanged,
 * over a node-postgres pool (exposed as `pool`, for LISTEN/NOTIFY and leases later).
 *
 * - `transact(fn)`: one SERIALIZABLE transaction on one pooled client. The embedded store runs
 *   write transactions one at a time, and the domain relies on that (a quota's count and the
 *   insert, a unique name, an idempotency claim); SERIALIZABLE gives the same outcome, and a
 *   transaction PostgreSQL aborts for a conflict is run again from the start (conflicts.ts).
 *   So `fn` must be safe to run more than once: it may only touch the database and values it
 *   makes afresh (ids, times), as every use case does. A few run at once (writer-gate.ts); one
 *   that keeps losing runs alone.
 * - `read(fn)`: statements on the pool, each seeing committed data, like SQLite's reader.
 *
 * There is no row cache here: another replica's writes would not evict it.
 *
 *   const store = await PostgresStore.open('postgres://clouddesk@db:5432/clouddesk', STORAGE);
 */
import pg from 'pg';
import type { Repos, Store } from '../../domain/store.js';
import type { StoragePart } from '../sql/storage-part.js';
import { sqlRepos } from '../sql/repos.js';
import type { NoticeListener } from '../sql/executor.js';
import { PG_TYPES, PgExecutor } from './pg-executor.js';
import { backoff, isConflict, MAX_ATTEMPTS, publicError } from './conflicts.js';
import { migrate } from './migrate.js';
import { WriterGate } from './writer-gate.js';
import { loggers } from '../../logger.js';

/** Connections per process. */
const POOL_SIZE = 10;
/** A call waits this long for a connection (a new one, or a free one of the pool), then is UNAVAILABLE. */
const CONNECT_TIMEOUT_MS = 10_000;
/**
 * Write transactions in flight at once per process. Fewer than the pool, so reads always find
 * a connection; few, because at SERIALIZABLE more at once mostly buys more conflicts to retry.
 */
const WRITERS = 4;
/** From this attempt on, a transaction that keeps conflicting runs alone in this process. */
const ALONE_FROM_ATTEMPT = 3;

/**
 * Each write transaction starts with this. Index scans keep SERIALIZABLE's predicate locks on
 * the rows and index pages read; a sequential scan (the planner's choice on a small table) locks
 * the whole table and makes unrelated transactions conflict (PostgreSQL manual, 13.2.3).
 */
const BEGIN = 'BEGIN ISOLATION LEVEL SERIALIZABLE; SET LOCAL enable_seqscan = off';

export class PostgresStore implements Store {
  private readonly readRepos: Repos;
  private deliver: NoticeListener = () => undefined;
  private readonly writers = new WriterGate(WRITERS);
  private closed = false;

  private constructor(readonly pool: pg.Pool, readonly url: string, private readonly parts: readonly StoragePart[]) {
    this.readRepos = sqlRepos(new PgExecutor(pool), parts);
  }

  static async open(url: string, parts: readonly StoragePart[], opts: { poolSize?: number } = {}): Promise<PostgresStore> {
    const pool = new pg.Pool({
      connectionString: url, max: opts.poolSize ?? POOL_SIZE, types: PG_TYPES, connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
    // An idle client that loses its connection emits here; without a listener it would crash the process.
    pool.on('error', (err) => loggers.store.warn({ err }, 'idle database connection failed'));
    try {
      await migrate(pool, parts);
    } catch (err) {
      await pool.end();
      throw publicError(err);
    }
    return new PostgresStore(pool, url, parts);
  }

  /** Where the notices of committed transactions go: this process's change feed. */
  onNotice(deliver: NoticeListener): void {
    this.deliver = deliver;
  }

  async read<T>(fn: (tx: Repos) => Promise<T>): Promise<T> {
    this.checkOpen();
    try {
      return await fn(this.readRepos);
    } catch (err) {
      throw publicError(err);
    }
  }

  async transact<T>(fn: (tx: Repos) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      this.checkOpen();
      let executor: PgExecutor | undefined;
      try {
        return await this.writers.run(attempt >= ALONE_FROM_ATTEMPT, async () => {
          const client = await this.connect();
          executor = new PgExecutor(client);
          return this.once(client, executor, fn);
        });
      } catch (err) {
        if (!executor) throw err;
        // What fn threw may be the domain's reaction to a failed statement: the statement decides.
        const cause = executor.failure ?? err;
        if (!isConflict(cause)) throw executor.failure === undefined ? err : publicError(cause);
        loggers.store.debug({ attempt, code: (cause as { code?: string }).code }, 'transaction conflicted; retrying');
        if (attempt >= MAX_ATTEMPTS) {
          loggers.store.warn({ attempts: attempt }, 'transaction kept conflicting; giving up');
          throw publicError(cause);
        }
        await backoff(attempt);
      }
    }
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (err) {
      throw publicError(err);
    }
  }

  /** One attempt; the client goes back to the pool, or is closed if its state is unknown. */
  private async once<T>(client: pg.PoolClient, executor: PgExecutor, fn: (tx: Repos) => Promise<T>): Promise<T> {
    let broken: Error | undefined;
    try {
      await executor.run(BEGIN);
      const out = await fn(sqlRepos(executor, this.parts));
      // A statement failed and fn went on: PostgreSQL would answer COMMIT with a silent ROLLBACK.
      if (executor.failure !== undefined) throw executor.failure;
      await executor.run('COMMIT');
      // Heard here before the caller is answered; the other replicas hear the NOTIFY.
      for (const [topic, payload] of executor.notices) this.deliver(topic, payload);
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw err;
    } finally {
      client.release(broken);
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('store is closed');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
