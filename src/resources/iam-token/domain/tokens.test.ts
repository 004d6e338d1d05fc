import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqliteStore } from '../../../storage/sqlite/sqlite-store.js';
import { openTempStore, type TempStore } from '../../../storage/sqlite/temp-store.js';
import { LocalFeed } from '../../../storage/cluster/local-cluster.js';
import { IamTokens, JWT_REPLAYED, TOKEN_LIFETIME_MS } from './tokens.js';
import { signJwt } from './jwt.js';
import { Authentication, BootstrapCredential } from './authentication.js';
import { UnauthenticatedError } from '../../../domain/errors.js';
import type { Subject } from '../../../domain/iam/subject.js';

let dir: string;
let store: SqliteStore;
let temp: TempStore;
let now = new Date('2026-03-01T10:00:00Z');
const clock = { now: () => now };
const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privateKey = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const key = { keyId: 'ajekey00000000000001', serviceAccountId: 'ajesa000000000000001', privateKey };

before(async () => {
  temp = await openTempStore('clouddesk-tokens-');
  ({ store, dir } = temp);
  await store.transact(async (tx) => {
    await tx.serviceAccounts.insert({
      id: key.serviceAccountId, folderId: 'f', name: 'robot', description: '', labels: {}, createdAt: now, lastAuthenticatedAt: null,
    });
    await tx.iamKeys.insert({
      id: key.keyId, serviceAccountId: key.serviceAccountId, description: '', algorithm: 'RSA_2048',
      publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }) as string, createdAt: now, lastUsedAt: null,
    });
  });
});

after(async () => {
  await temp.cleanup();
});

const refused = (e: unknown) => e instanceof UnauthenticatedError && /invalid or has expired/.test(e.message);

describe('IAM tokens', () => {
  it('issues a token for a JWT, authenticates it, and refuses it after 12 hours even when cached', async () => {
    const tokens = new IamTokens(store, clock);
    const { token, expiresAt } = await tokens.exchange(signJwt(key, now));
    assert.equal(expiresAt.getTime() - now.getTime(), TOKEN_LIFETIME_MS);
    const subject = await tokens.authenticate(token);
    assert.deepEqual({ ...subject, tokenId: undefined }, { id: key.serviceAccountId, type: 'SERVICE_ACCOUNT', name: 'robot', tokenId: undefined });
    assert.ok(subject.tokenId && !token.endsWith(subject.tokenId));
    const account = await store.read((tx) => tx.serviceAccounts.get(key.serviceAccountId));
    assert.equal(account?.lastAuthenticatedAt?.getTime(), now.getTime());
    const started = now;
    now = new Date(started.getTime() + TOKEN_LIFETIME_MS - 1000);
    await tokens.authenticate(token);
    now = new Date(started.getTime() + TOKEN_LIFETIME_MS);
    await assert.rejects(tokens.authenticate(token), refused);
    now = started;
  });

  it('keeps only a hash: the token is nowhere in the database files', async () => {
    const tokens = new IamTokens(store, clock);
    const { token } = await tokens.exchange(signJwt(key, now));
    const secret = token.split('.')[2]!;
    for (const f of readdirSync(dir)) assert.ok(!readFileSync(join(dir, f)).includes(secret), `${f} holds the token`);
  });

  it('forgets cached tokens of a deleted key when the deleting transaction commits, not before', async () => {
    const feed = new LocalFeed();
    store.onNotice((topic, payload) => feed.deliver(topic, payload));
    const tokens = new IamTokens(store, clock, feed);
    const { token } = await tokens.exchange(signJwt(key, now));
    await tokens.authenticate(token); // cached now
    await store.transact((tx) => tx.iamTokens.deleteByKey(key.keyId));
    await tokens.authenticate(token); // still cached: nobody announced the delete
    await assert.rejects(store.transact(async (tx) => {
      await tokens.announce(tx, { keyIds: [key.keyId] });
      throw new Error('rolled back');
    }), /rolled back/);
    await tokens.authenticate(token); // a rolled-back announcement is never heard
    await store.transact((tx) => tokens.announce(tx, { keyIds: [key.keyId] }));
    await assert.rejects(tokens.authenticate(token), refused);
  });

  it('tells the bootstrap credential from IAM tokens, comparing hashes', async () => {
    const auth = new Authentication(new BootstrapCredential('bootstrap-secret-0001'), new IamTokens(store, clock));
    assert.equal((await auth.subjectOf('bootstrap-secret-0001')).type, 'BOOTSTRAP');
    for (const bad of ['bootstrap-secret-0002', 'bootstrap-secret-000', '', 'x'.repeat(5000)]) await assert.rejects(async () => auth.subjectOf(bad), refused);
  });

  it('answers at once what needs no store read: the bootstrap credential, a cached token, an empty or oversized one', async () => {
    const tokens = new IamTokens(store, clock);
    const auth = new Authentication(new BootstrapCredential('bootstrap-secret-0001'), tokens);
    assert.equal((auth.subjectOf('bootstrap-secret-0001') as Subject).type, 'BOOTSTRAP');
    const { token } = await tokens.exchange(signJwt(key, now));
    const first = auth.subjectOf(token);
    assert.ok(first instanceof Promise, 'the first use reads the store');
    const subject = await first;
    assert.equal(auth.subjectOf(token), subject, 'then the cache answers, with no promise');
    assert.throws(() => auth.subjectOf(''), refused);
    assert.throws(() => auth.subjectOf('x'.repeat(5000)), refused);
    const unknown = auth.subjectOf('cdt1.unknown-token');
    assert.ok(unknown instanceof Promise);
    await assert.rejects(unknown, refused);
  });
  it('exchanges a JWT at most once, and forgets it once it has expired', async () => {
    const tokens = new IamTokens(store, clock);
    const jwt = signJwt(key, now);
    await tokens.exchange(jwt);
    const replayed = (e: unknown) => e instanceof UnauthenticatedError && e.message === JWT_REPLAYED;
    await assert.rejects(tokens.exchange(jwt), replayed);
    await tokens.exchange(signJwt(key, now)); // a fresh JWT of the same second is another JWT
    const purged = await store.transact((tx) => tx.iamTokens.purgeExpired(new Date(now.getTime() + 3661_000)));
    assert.ok(purged >= 2, `purged ${purged}`);
    assert.equal(await store.transact((tx) => tx.iamTokens.rememberJwt('k', now)), true);
  });
});
