/**
 * Notices sent with a transaction's commit, and secrets every replica must hold alike (the page-token key, the import-URI sealing key), kept
 * in the database when it is shared (PostgreSQL). The first replica to ask stores its value;
 * the others read that one. The embedded store keeps its secrets as files in the data dir.
 *
 *   const key = await tx.clusterSecrets.getOrCreate('page-token.key', randomBase64);
 */
import type { ClusterNoticeRepo, ClusterSecretRepo } from '../../domain/cluster.js';
import type { SqlExecutor } from './executor.js';
import { defineStorage } from './storage-part.js';

export class SqlClusterSecretRepo implements ClusterSecretRepo {
  constructor(private readonly db: SqlExecutor) {}

  async getOrCreate(name: string, value: string): Promise<string> {
    await this.db.run('INSERT INTO cluster_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING', [name, value]);
    const row = await this.db.get<{ value: string }>('SELECT value FROM cluster_secrets WHERE name = ?', [name]);
    return row!.value;
  }
}

/** The channel every replica LISTENs on; a notice is `<topic> <payload>`. */
export const NOTICE_CHANNEL = 'clouddesk';
/** NOTIFY payloads must stay under 8000 bytes; a longer notice goes out as "drop everything". */
const MAX_PAYLOAD = 7000;
export const EVERYTHING = '*';

export const noticeText = (topic: string, payload: string): string =>
  `${topic} ${Buffer.byteLength(payload) > MAX_PAYLOAD ? EVERYTHING : payload}`;

export class SqlClusterNoticeRepo implements ClusterNoticeRepo {
  constructor(private readonly db: SqlExecutor) {}

  async publish(topic: string, payload: string): Promise<void> {
    this.db.notice(topic, payload); // this process: after the commit
    // Other replicas (PostgreSQL): NOTIFY is sent by the commit. SQLite: one process owns the file.
    if (this.db.dialect === 'postgres') await this.db.get('SELECT pg_notify(?, ?)', [NOTICE_CHANNEL, noticeText(topic, payload)]);
  }
}

export const clusterStorage = defineStorage({
  track: 'cluster',
  migrations: [
    {
      version: 1,
      name: 'shared secrets',
      sql: ['CREATE TABLE cluster_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL)'],
    },
  ],
  repos: (db) => ({ clusterSecrets: new SqlClusterSecretRepo(db), clusterNotices: new SqlClusterNoticeRepo(db) }),
});
