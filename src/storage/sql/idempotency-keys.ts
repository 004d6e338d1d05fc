/**
 * Idempotency key rows, shared by the SQLite and PostgreSQL stores. The primary key
 * (subject_id, method, idempotency_key) makes a claim exclusive across processes; a claim is
 * replaced only by compare-and-swap on its random `claim` token.
 */
import type { IdempotencyRecord, IdempotencyScope } from '../../domain/idempotency/idempotency-keys.js';
import type { IdempotencyKeyRepo } from '../../domain/idempotency/repo.js';
import type { SqlExecutor } from './executor.js';
import { defineStorage } from './storage-part.js';

interface Row {
  request_hash: string;
  operation_id: string | null;
  claim: string;
  lease_until: number;
  expires_at: number;
}

const WHERE = 'subject_id = ? AND method = ? AND idempotency_key = ?';
const scopeOf = (s: IdempotencyScope) => [s.subjectId, s.method, s.key];

export class SqlIdempotencyKeyRepo implements IdempotencyKeyRepo {
  constructor(private readonly db: SqlExecutor) {}

  async get(scope: IdempotencyScope): Promise<IdempotencyRecord | undefined> {
    const r = await this.db.get<Row>(`SELECT * FROM idempotency_keys WHERE ${WHERE}`, scopeOf(scope));
    return (
      r && {
        requestHash: r.request_hash,
        operationId: r.operation_id,
        claim: r.claim,
        leaseUntil: new Date(Number(r.lease_until)),
        expiresAt: new Date(Number(r.expires_at)),
      }
    );
  }

  async claim(
    scope: IdempotencyScope,
    rec: { requestHash: string; claim: string; createdAt: Date; leaseUntil: Date; expiresAt: Date },
    replacing: string | null,
  ): Promise<boolean> {
    if (replacing === null) {
      const n = await this.db.run(
        `INSERT INTO idempotency_keys (subject_id, method, idempotency_key, request_hash, operation_id, claim,
           lease_until, created_at, expires_at) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        [...scopeOf(scope), rec.requestHash, rec.claim, rec.leaseUntil.getTime(), rec.createdAt.getTime(), rec.expiresAt.getTime()],
      );
      return n > 0;
    }
    const n = await this.db.run(
      `UPDATE idempotency_keys SET request_hash = ?, operation_id = NULL, claim = ?, lease_until = ?, created_at = ?,
         expires_at = ? WHERE ${WHERE} AND claim = ?`,
      [rec.requestHash, rec.claim, rec.leaseUntil.getTime(), rec.createdAt.getTime(), rec.expiresAt.getTime(), ...scopeOf(scope), replacing],
    );
    return n > 0;
  }

  async bind(scope: IdempotencyScope, claim: string, operationId: string): Promise<boolean> {
    const n = await this.db.run(
      `UPDATE idempotency_keys SET operation_id = ? WHERE ${WHERE} AND claim = ? AND operation_id IS NULL`,
      [operationId, ...scopeOf(scope), claim],
    );
    return n > 0;
  }

  async release(scope: IdempotencyScope, claim: string): Promise<void> {
    await this.db.run(`DELETE FROM idempotency_keys WHERE ${WHERE} AND claim = ? AND operation_id IS NULL`, [...scopeOf(scope), claim]);
  }

  async purgeExpired(now: Date): Promise<number> {
    return this.db.run('DELETE FROM idempotency_keys WHERE expires_at <= ?', [now.getTime()]);
  }
}

export const idempotencyStorage = defineStorage({
  track: 'idempotency',
  migrations: [
    {
      version: 1,
      name: 'idempotency keys',
      sql: [
        `CREATE TABLE idempotency_keys (
          subject_id TEXT NOT NULL,
          method TEXT NOT NULL,
          idempotency_key TEXT NOT NULL,
          request_hash TEXT NOT NULL,
          operation_id TEXT,
          claim TEXT NOT NULL,
          lease_until BIGINT NOT NULL,
          created_at BIGINT NOT NULL,
          expires_at BIGINT NOT NULL,
          PRIMARY KEY (subject_id, method, idempotency_key)
        )`,
        'CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at)',
      ],
    },
  ],
  repos: (db) => ({ idempotencyKeys: new SqlIdempotencyKeyRepo(db) }),
});
