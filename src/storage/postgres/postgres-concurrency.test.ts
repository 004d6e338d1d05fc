/**
 * What the PostgreSQL store adds to the store contract: replicas migrating at once, write
 * transactions that conflict being run again (so the domain's check-then-write stays atomic, as
 * on the embedded store), and which errors a caller sees.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PostgresStore } from './postgres-store.js';
import { createTempDatabase, type TempDatabase } from './temp-store.js';
import { publicError } from './conflicts.js';
import { STORAGE } from '../../resources.js';
import { AbortedError, NotFoundError, UnavailableError } from '../../domain/errors.js';
import type { DesktopImage } from '../../resources/desktop-image/domain/desktop-image.js';

let seq = 0;
const image = (folderId: string): DesktopImage => ({
  id: `e3vrace${String(++seq).padStart(13, '0')}`, folderId, name: `n${seq}`, description: '', labels: {}, status: 'ACTIVE',
  createdAt: new Date(1_700_000_000_000 + seq), storageSize: 1, minDiskSize: 1, blobSha256: null, sourceId: 'fd8src',
});

describe('PostgresStore with several replicas', () => {
  let db: TempDatabase;
  let replicas: PostgresStore[];
  before(async () => {
    db = await createTempDatabase('replicas');
    // Three replicas starting together: the advisory lock lets one migrate, the others wait.
    replicas = await Promise.all([1, 2, 3].map(() => PostgresStore.open(db.url, STORAGE)));
  });
  after(async () => {
    await Promise.all(replicas.map((r) => r.close()));
    await db.drop();
  });

  it('applies each migration step once when replicas start together', async () => {
    const { rows } = await replicas[0]!.pool.query('SELECT track, version FROM schema_steps');
    const expected = STORAGE.reduce((n, p) => n + p.migrations.length, 0);
    assert.equal(rows.length, expected);
  });

  it('runs a transaction that lost a serialization conflict again, and the retry sees the winner', async () => {
    let arrived = 0;
    let release = () => {};
    const bothCounted = new Promise<void>((r) => (release = r));
    const attempts = [0, 0];
    const take = (who: 0 | 1) =>
      replicas[who]!.transact(async (tx) => {
        const first = ++attempts[who]! === 1;
        const used = await tx.desktopImages.countInFolder('race');
        // Both first attempts count an empty folder before either inserts: a write skew.
        if (first && ++arrived === 2) release();
        if (first) await bothCounted;
        if (used.count >= 1) return 'full';
        await tx.desktopImages.insert(image('race'));
        return 'took';
      });
    const results = await Promise.all([take(0), take(1)]);
    assert.deepEqual([...results].sort(), ['full', 'took']);
    // At least one rerun; more when the loser was told before the winner had committed.
    assert.ok(attempts[0]! + attempts[1]! >= 3, `attempts ${attempts}`);
    assert.equal((await replicas[2]!.read((tx) => tx.desktopImages.countInFolder('race'))).count, 1);
  });

  it('keeps a quota of one under 24 concurrent check-then-insert transactions over three replicas', async () => {
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        replicas[i % 3]!.transact(async (tx) => {
          if ((await tx.desktopImages.countInFolder('quota')).count >= 1) return 'full';
          await tx.desktopImages.insert(image('quota'));
          return 'took';
        }),
      ),
    );
    assert.equal(results.filter((r) => r === 'took').length, 1);
    assert.equal((await replicas[0]!.read((tx) => tx.desktopImages.countInFolder('quota'))).count, 1);
  });

  it('passes the domain errors of fn through, and commits nothing when fn went on after a failed statement', async () => {
    const refused = new NotFoundError('gone');
    await assert.rejects(replicas[0]!.transact(async () => Promise.reject(refused)), (err) => err === refused);
    const dup = image('dup');
    await replicas[0]!.transact((tx) => tx.desktopImages.insert(dup));
    const other = image('dup');
    await assert.rejects(
      replicas[0]!.transact(async (tx) => {
        await tx.desktopImages.insert(other);
        await tx.desktopImages.insert(dup).catch(() => undefined); // a duplicate key, swallowed
      }),
      (err: { code?: string }) => err.code === '23505',
    );
    assert.equal(await replicas[0]!.read((tx) => tx.desktopImages.get(other.id)), undefined);
  });
});

describe('PostgreSQL errors a caller sees', () => {
  it('are ABORTED for a conflict past its retries, UNAVAILABLE for a lost database, else unchanged', () => {
    assert.ok(publicError({ code: '40001' }) instanceof AbortedError);
    assert.ok(publicError({ code: '40P01' }) instanceof AbortedError);
    assert.ok(publicError({ code: '57P01' }) instanceof UnavailableError);
    assert.ok(publicError({ code: 'ECONNREFUSED' }) instanceof UnavailableError);
    assert.ok(publicError(new Error('timeout exceeded when trying to connect')) instanceof UnavailableError);
    const other = { code: '23505' };
    assert.equal(publicError(other), other);
  });
});
