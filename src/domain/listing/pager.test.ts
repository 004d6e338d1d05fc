import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { SqliteStore } from '../../storage/sqlite/sqlite-store.js';
import { openTempStore, type TempStore } from '../../storage/sqlite/temp-store.js';
import { InvalidArgumentError } from '../errors.js';
import { MAX_TOKEN_LENGTH, Pager } from './pager.js';

let store: SqliteStore;
let temp: TempStore;
let now = new Date('2026-01-01T00:00:00Z');
const clock = { now: () => now };

before(async () => {
  temp = await openTempStore('pager-');
  ({ store } = temp);
});
after(async () => {
  await temp.cleanup();
});

const rejects = (p: Promise<unknown>) =>
  assert.rejects(p, (e: unknown) => e instanceof InvalidArgumentError && e.violations[0]!.field === 'page_token');

describe('Pager', () => {
  const pager = () => new Pager(store, clock, Buffer.from('k'.repeat(32)));

  it('round-trips short keysets inline, signed for their scope', async () => {
    const token = await pager().issue('scope-a', [1767225600000, 'e3vaaaaaaaaaaaaaaaaa']);
    assert.ok(token.length <= MAX_TOKEN_LENGTH && token.includes('.'));
    assert.deepEqual(await pager().resolve(token, 'scope-a'), [1767225600000, 'e3vaaaaaaaaaaaaaaaaa']);
    await rejects(pager().resolve(token, 'scope-b'));
    await rejects(new Pager(store, clock, randomBytes(32)).resolve(token, 'scope-a'));
  });

  it('rejects tampered, truncated and garbage tokens', async () => {
    const token = await pager().issue('s', ['alpha', 'e3vbbbbbbbbbbbbbbbbb']);
    const [payload, mac] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify(['zzz', 'e3vbbbbbbbbbbbbbbbbb'])).toString('base64url');
    for (const bad of [`${forged}.${mac}`, `${payload}.`, payload, 'garbage', '....', `${payload}.${mac}x`, 's' + 'A'.repeat(22)]) {
      await rejects(pager().resolve(bad, 's'));
    }
  });

  it('keeps long keysets server-side under a short token that expires', async () => {
    const longName = 'я'.repeat(50);
    const token = await pager().issue('scope-long', [longName, 'e3vccccccccccccccccc']);
    assert.match(token, /^s[A-Za-z0-9_-]{22}$/);
    assert.deepEqual(await pager().resolve(token, 'scope-long'), [longName, 'e3vccccccccccccccccc']);
    await rejects(pager().resolve(token, 'other-scope'));
    // Reads do not multiply rows: the same position in the same scope is the same stored row.
    const rows = () => store.read((tx) => tx.pageCursors.load(token, now));
    const first = await rows();
    for (let i = 0; i < 3; i++) assert.equal(await pager().issue('scope-long', [longName, 'e3vccccccccccccccccc']), token);
    assert.deepEqual(await rows(), first); // not even rewritten
    assert.notEqual(await pager().issue('scope-other', [longName, 'e3vccccccccccccccccc']), token);
    now = new Date(now.getTime() + 13 * 3600_000); // past half its life: saved again, life extended
    assert.equal(await pager().issue('scope-long', [longName, 'e3vccccccccccccccccc']), token);
    assert.ok((await rows())!.expiresAt.getTime() > first!.expiresAt.getTime());
    now = new Date(now.getTime() + 25 * 3600_000);
    await rejects(pager().resolve(token, 'scope-long'));
  });

  it('returns no token on the last page and maps page_size', async () => {
    assert.equal(await pager().issue('s', undefined), '');
    assert.equal(await pager().resolve('', 's'), undefined);
    assert.equal(Pager.pageSize(0), 100);
    assert.equal(Pager.pageSize(7), 7);
    assert.throws(() => Pager.pageSize(-1), InvalidArgumentError);
    assert.throws(() => Pager.pageSize(1001), InvalidArgumentError);
  });
});
