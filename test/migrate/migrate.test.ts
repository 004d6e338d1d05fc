/**
 * `clouddesk migrate`: an embedded installation with images, operations, IAM data and audit
 * events is copied into a fresh PostgreSQL database and a new blob directory, and a server
 * started on those (with a new, empty data dir: the keys travel in the database) serves every
 * resource as before; tokens and page tokens issued before keep working. A second run copies nothing and still verifies;
 * a data dir with a running server is refused.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startServer, type RunningServer } from '../harness/server.js';
import { compute, sdkFor, waitDone, type SdkClients } from '../harness/sdk.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { ACCOUNTS_FOLDER, createIdentity, exchange, sdkJwt, type Identity } from '../harness/iam.js';
import { clouddesk } from '../cli/cli-harness.js';
import { createTempDatabase, type TempDatabase } from '../../src/storage/postgres/temp-store.js';

const FOLDER = 'team-migrate';

let source: RunningServer;
let target: RunningServer | undefined;
let src: ImageSource;
let db: TempDatabase;
let blobDir: string;
let newDataDir: string;
let identity: Identity;
const operationIds: string[] = [];

/** Everything the API shows of the installation, to compare before and after. */
async function everything(sdk: SdkClients): Promise<Record<string, unknown>> {
  const accounts = await sdk.serviceAccounts.list({ folderId: ACCOUNTS_FOLDER });
  return {
    computeImages: await sdk.images.list({ folderId: FOLDER }),
    desktopImages: await sdk.desktopImages.list({ folderId: FOLDER }),
    operations: await Promise.all(operationIds.map((operationId) => sdk.operations.get({ operationId }))),
    accounts,
    keys: await Promise.all(accounts.serviceAccounts.map((a: { id: string }) => sdk.keys.list({ serviceAccountId: a.id }))),
    bindings: await sdk.folders.listAccessBindings({ resourceId: FOLDER }),
  };
}

async function rows(url: string, sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(sql)).rows[0]!.n);
  } finally {
    await client.end();
  }
}

let before_: Record<string, unknown>;
/** Page 2 of the folder's desktop images, asked for with a token the embedded server made. */
let page1: { desktopImages: { id: string }[]; nextPageToken: string };

before(async () => {
  source = await startServer();
  src = await startImageSource();
  const sdk = sdkFor(source);
  try {
    const created = await waitDone(sdk, await sdk.images.create({ folderId: FOLDER, name: 'base', uri: src.url('/qcow2?virtual=1073741824') }));
    operationIds.push(created.id);
    const imageId = compute.image.Image.decode(created.response.value).id as string;
    for (const name of ['win-a', 'win-b']) operationIds.push((await waitDone(sdk, await sdk.desktopImages.copy({ folderId: FOLDER, name, imageId }))).id);
    identity = await createIdentity(sdk, { name: 'robot', grants: [[FOLDER, 'vdi.viewer']] });
    before_ = await everything(sdk);
    page1 = await sdk.desktopImages.list({ folderId: FOLDER, pageSize: 1 });
    assert.notEqual(page1.nextPageToken, '');
  } finally {
    sdk.close();
  }
  db = await createTempDatabase('migrate');
  blobDir = mkdtempSync(join(tmpdir(), 'clouddesk-migrated-blobs-'));
  newDataDir = mkdtempSync(join(tmpdir(), 'clouddesk-migrated-'));
});

after(async () => {
  await target?.cleanup();
  await source.cleanup();
  await src.close();
  await db.drop();
  rmSync(blobDir, { recursive: true, force: true });
});

const migrate = () => clouddesk(['migrate', '--data-dir', source.dataDir, '--database', db.url, '--blob-store', blobDir], {});

describe('clouddesk migrate', () => {
  it('names the missing or wrong flag, and a data dir without an installation', async () => {
    const none = await clouddesk(['migrate', '--data-dir', newDataDir], {});
    assert.equal(none.code, 2);
    assert.match(none.stderr, /required option '--database <url>' not specified/);
    const bad = await clouddesk(['migrate', '--data-dir', newDataDir, '--database', 'mysql://x/y'], {});
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--database \/ CLOUDDESK_DATABASE: a postgres:\/\/user@host:port\/database URL/);
    const s3 = await clouddesk(['migrate', '--data-dir', newDataDir, '--database', db.url, '--blob-store', blobDir, '--s3-endpoint', 'http://127.0.0.1:1'], {});
    assert.equal(s3.code, 2);
    assert.match(s3.stderr, /--s3-endpoint \/ CLOUDDESK_S3_ENDPOINT: only with an s3:\/\//);
    const empty = await clouddesk(['migrate', '--data-dir', newDataDir, '--database', db.url], {});
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /no embedded installation in .*clouddesk\.db does not exist/);
  });

  it('refuses a data dir a running server uses, and changes nothing', async () => {
    const run = await migrate();
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stderr, /in use by a running clouddesk server/);
    assert.equal(await rows('postgres://postgres@127.0.0.1:5432/postgres', `SELECT COUNT(*) AS n FROM pg_database WHERE datname = '${new URL(db.url).pathname.slice(1)}'`), 1);
  });

  it('copies every table and blob and verifies them', async () => {
    await source.stop();
    const run = await migrate();
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /blobs: 1 copied, 0 already there/);
    assert.match(run.stdout, /verified: every row count equal, every referenced blob present with its SHA-256/);
    assert.match(run.stdout, /table audit_outbox: [1-9]\d* rows copied/);
    assert.match(run.stdout, /key page-token\.key: carried in the database/);
    assert.match(run.stdout, /key import-uri\.key: carried in the database/);
    assert.ok((await rows(db.url, 'SELECT COUNT(*) AS n FROM audit_outbox')) > 0);
  });

  it('runs again as a no-op that still verifies', async () => {
    const run = await migrate();
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /blobs: 0 copied, 1 already there/);
    assert.match(run.stdout, /migrated and verified/);
  });

  it('fails when the database already holds another shared key', async () => {
    await rows(db.url, "WITH u AS (UPDATE cluster_secrets SET value = 'other' WHERE name = 'page-token.key' RETURNING 1) SELECT COUNT(*) AS n FROM u");
    const run = await migrate();
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /key page-token\.key: the database already holds a different one/);
    const key = readFileSync(join(source.dataDir, 'page-token.key'), 'utf8').trim();
    await rows(db.url, `WITH u AS (UPDATE cluster_secrets SET value = '${key}' WHERE name = 'page-token.key' RETURNING 1) SELECT COUNT(*) AS n FROM u`);
    assert.equal((await migrate()).code, 0);
  });

  it('serves everything from PostgreSQL and the new blob store', async () => {
    target = await startServer({ dataDir: newDataDir, args: ['--database', db.url, '--blob-store', blobDir] });
    const sdk = sdkFor(target);
    try {
      assert.deepEqual(await everything(sdk), before_);
      const page2 = await sdk.desktopImages.list({ folderId: FOLDER, pageSize: 1, pageToken: page1.nextPageToken });
      assert.equal(page2.desktopImages.length, 1, 'a page token made before the move works after it');
      assert.notEqual(page2.desktopImages[0].id, page1.desktopImages[0]!.id);
      // A token issued before the move, and a new one from the key made before it.
      const robot = sdkFor(target, identity.token);
      const fresh = sdkFor(target, await exchange(sdk, sdkJwt(identity)));
      try {
        assert.equal((await robot.desktopImages.list({ folderId: FOLDER })).desktopImages.length, 2);
        assert.equal((await fresh.desktopImages.list({ folderId: FOLDER })).desktopImages.length, 2);
      } finally {
        robot.close();
        fresh.close();
      }
      // The blob is in the new store: a new Copy of the migrated image succeeds, and audit
      // events continue after the copied ones.
      const events = await rows(db.url, 'SELECT COUNT(*) AS n FROM audit_outbox');
      const imageId = (await sdk.images.list({ folderId: FOLDER })).images[0].id as string;
      const done = await waitDone(sdk, await sdk.desktopImages.copy({ folderId: FOLDER, name: 'win-c', imageId }));
      assert.equal(done.error, undefined, done.error?.message);
      assert.ok((await rows(db.url, 'SELECT COUNT(*) AS n FROM audit_outbox')) > events);
    } finally {
      sdk.close();
    }
  });
});
