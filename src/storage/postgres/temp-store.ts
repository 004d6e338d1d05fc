/**
 * Fresh PostgreSQL databases for tests, so runs never see each other's data: each gets a unique
 * name, C collation (text sorts by code point, as on SQLite) and is dropped at cleanup.
 *
 *   let temp: TempStore;
 *   before(async () => { temp = await openTempPgStore('contract'); });
 *   after(() => temp.cleanup());
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresStore } from './postgres-store.js';
import { STORAGE } from '../../resources.js';

/** The test server: CI machines and the dev container run PostgreSQL here with trust auth. */
export const TEST_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Every test database name starts with this, then the caller's tag. */
export const TEST_DATABASE_PREFIX = 'clouddesk_test_';

export interface TempDatabase {
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(serverUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const quoted = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Creates `name` (`clouddesk_test_<tag>_<random>` by default) unless it exists. */
export async function createTempDatabase(tag: string, opts: { name?: string; serverUrl?: string } = {}): Promise<TempDatabase> {
  const serverUrl = opts.serverUrl ?? TEST_SERVER_URL;
  const name = (opts.name ?? `${TEST_DATABASE_PREFIX}${tag}_${randomBytes(6).toString('hex')}`).toLowerCase().slice(0, 63);
  await admin(serverUrl, async (c) => {
    const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      await c.query(`CREATE DATABASE ${quoted(name)} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
    }
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => dropDatabases(serverUrl, [name]) };
}

/** Drops the named databases, closing any connection a killed server left behind. */
export async function dropDatabases(serverUrl: string, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  await admin(serverUrl, async (c) => {
    for (const name of names) await c.query(`DROP DATABASE IF EXISTS ${quoted(name)} WITH (FORCE)`);
  });
}

export interface TempPgStore {
  store: PostgresStore;
  url: string;
  cleanup(): Promise<void>;
}

export async function openTempPgStore(tag: string): Promise<TempPgStore> {
  const db = await createTempDatabase(tag);
  const store = await PostgresStore.open(db.url, STORAGE);
  return {
    store,
    url: db.url,
    async cleanup() {
      await store.close();
      await db.drop();
    },
  };
}
