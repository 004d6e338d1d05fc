/**
 * The cluster of replicas on one PostgreSQL database.
 *
 * - Feed: `NOTIFY clouddesk, '<topic> <payload>'` from the pool; one dedicated connection
 *   LISTENs (a payload too long for NOTIFY goes out as "drop everything"). This process's
 *   handlers run at once on publish (its own notice comes back too; handlers only drop caches
 *   or abort a job, so twice is harmless). When the listening connection fails it
 *   is opened again and every handler hears `undefined` (notices may have been missed).
 * - `exclusive`: a session advisory lock on a pooled connection for the length of `fn`.
 * - `leads`: a session advisory lock taken with `pg_try_advisory_lock` on the listening
 *   connection and kept while it lives; when a replica dies its connection closes, the lock is
 *   freed and the next replica that asks takes the role.
 * - Secrets: the `cluster_secrets` table. An installation that kept a secret as a file in the
 *   data dir (before it had replicas) offers that value first, so its tokens stay valid.
 *
 *   const cluster = await PgCluster.open(store, dataDir);
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Cluster } from '../../domain/cluster.js';
import type { PostgresStore } from './postgres-store.js';
import { LocalFeed } from '../cluster/local-cluster.js';
import { EVERYTHING, NOTICE_CHANNEL, noticeText } from '../sql/cluster-secrets.js';
import { loggers } from '../../logger.js';

const RECONNECT_MS = 500;

/** A name's advisory lock key: 64 bits of its SHA-256, as PostgreSQL's bigint text. */
export const lockKey = (name: string): string => createHash('sha256').update(`clouddesk:${name}`).digest().readBigInt64BE(0).toString();

class PgFeed extends LocalFeed {
  constructor(private readonly pool: pg.Pool) {
    super();
  }

  override async publish(topic: string, payload: string): Promise<void> {
    this.deliver(topic, payload);
    await this.pool.query('SELECT pg_notify($1, $2)', [NOTICE_CHANNEL, noticeText(topic, payload)]);
  }
}

export class PgCluster implements Cluster {
  readonly shared = true;
  readonly feed: PgFeed;
  private listener: pg.Client | undefined;
  private readonly held = new Set<string>();
  private closed = false;

  private constructor(private readonly store: PostgresStore, private readonly dataDir: string) {
    this.feed = new PgFeed(store.pool);
  }

  static async open(store: PostgresStore, dataDir: string): Promise<PgCluster> {
    const cluster = new PgCluster(store, dataDir);
    await cluster.listen();
    return cluster;
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.store.url });
    client.on('notification', (n) => {
      const text = n.payload ?? '';
      const space = text.indexOf(' ');
      if (space <= 0) return;
      const payload = text.slice(space + 1);
      this.feed.deliver(text.slice(0, space), payload === EVERYTHING ? undefined : payload);
    });
    client.on('error', (err) => {
      loggers.store.warn({ err }, 'change feed connection failed; reopening');
      void client.end().catch(() => undefined);
    });
    client.on('end', () => {
      if (this.listener !== client) return;
      this.listener = undefined;
      this.held.clear();
      if (!this.closed) setTimeout(() => void this.reopen(), RECONNECT_MS).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${NOTICE_CHANNEL}`);
    this.listener = client;
  }

  private async reopen(): Promise<void> {
    if (this.closed) return;
    try {
      await this.listen();
      this.feed.gap();
    } catch (err) {
      loggers.store.warn({ err }, 'change feed could not reconnect; retrying');
      setTimeout(() => void this.reopen(), RECONNECT_MS).unref();
    }
  }

  async exclusive<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const client = await this.store.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('SELECT pg_advisory_lock($1::bigint)', [lockKey(name)]);
      try {
        return await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1::bigint)', [lockKey(name)]).catch((e: Error) => (broken = e));
      }
    } finally {
      client.release(broken);
    }
  }

  async leads(name: string): Promise<boolean> {
    if (this.held.has(name)) return true;
    const client = this.listener;
    if (!client) return false;
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [lockKey(name)]);
    if (rows[0]?.ok && this.listener === client) this.held.add(name);
    return this.held.has(name);
  }

  async secret(name: string): Promise<Buffer> {
    let offered: string;
    try {
      offered = readFileSync(join(this.dataDir, name), 'utf8').trim();
    } catch {
      offered = randomBytes(32).toString('base64');
    }
    const value = await this.store.transact((tx) => tx.clusterSecrets.getOrCreate(name, offered));
    return Buffer.from(value, 'base64');
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.listener;
    this.listener = undefined;
    this.held.clear();
    await client?.end().catch(() => undefined);
  }
}
