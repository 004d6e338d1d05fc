/**
 * Data at rest (docs/security.md): file modes of a fresh and of a tightened data dir, and a
 * pre-signed import uri that reaches the image, the operation and the audit events only with its
 * query values redacted, while the full uri exists only sealed, and only while the import runs.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startServer } from '../harness/server.js';
import { sdkFor, waitDone } from '../harness/sdk.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { readEvents, waitForEvents, type Event } from '../audit/audit-files.js';

let src: ImageSource;
before(async () => (src = await startImageSource()));
after(() => src.close());

/** Every path under `dir` with its permission bits, e.g. ['blobs/ab/abcd…', 0o400]. */
function modes(dir: string, prefix = ''): [string, number][] {
  const out: [string, number][] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = lstatSync(path);
    out.push([prefix + name, st.mode & 0o777]);
    if (st.isDirectory()) out.push(...modes(path, `${prefix}${name}/`));
  }
  return out;
}

function assertTight(dataDir: string): void {
  assert.equal(lstatSync(dataDir).mode & 0o777, 0o700, 'the data dir');
  for (const [path, mode] of modes(dataDir)) {
    const st = lstatSync(join(dataDir, path));
    if (st.isDirectory()) assert.equal(mode, 0o700, path);
    else if (path.startsWith('blobs/') && !path.startsWith('blobs/tmp/')) assert.equal(mode, 0o400, path);
    else assert.equal(mode & 0o077, 0, `${path} has group/other bits: ${mode.toString(8)}`);
  }
}

function readDb<T>(dataDir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, 'clouddesk.db'), { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const SECRET = 'S3cr3tSignatur3Value0123456789';

describe('data at rest', () => {
  it('a fresh data dir: 0700 directories, 0600 database, WAL and keys, 0400 blobs', async () => {
    const server = await startServer();
    try {
      const sdk = sdkFor(server);
      assert.equal((await waitDone(sdk, await sdk.images.create({ folderId: 'modes', uri: src.url('/raw?size=65536') }))).error, undefined);
      sdk.close();
      for (const f of ['clouddesk.db', 'clouddesk.db-wal', 'page-token.key', 'import-uri.key']) {
        assert.equal(lstatSync(join(server.dataDir, f)).mode & 0o777, 0o600, f);
      }
      assert.ok(modes(server.dataDir).some(([p, m]) => p.startsWith('blobs/') && m === 0o400), 'a blob');
      assertTight(server.dataDir);
      assert.ok(!server.logs.some((l) => l['msg'] === 'removed group and other permissions under the data dir'));
    } finally {
      await server.cleanup();
    }
  });

  it('an existing installation is tightened at start-up, with one log line', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'clouddesk-test-'));
    chmodSync(dataDir, 0o755);
    mkdirSync(join(dataDir, 'blobs', 'ab'), { recursive: true, mode: 0o755 });
    writeFileSync(join(dataDir, 'blobs', 'ab', 'old-blob'), 'x', { mode: 0o444 });
    writeFileSync(join(dataDir, 'page-token.key'), 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', { mode: 0o644 });
    chmodSync(join(dataDir, 'blobs'), 0o755);
    chmodSync(join(dataDir, 'blobs', 'ab'), 0o775);
    chmodSync(join(dataDir, 'page-token.key'), 0o644);
    const server = await startServer({ dataDir });
    try {
      assertTight(dataDir);
      assert.equal(lstatSync(join(dataDir, 'blobs', 'ab', 'old-blob')).mode & 0o777, 0o400);
      const lines = server.logs.filter((l) => l['msg'] === 'removed group and other permissions under the data dir');
      assert.equal(lines.length, 1);
      assert.equal(lines[0]!['paths'], 5);
    } finally {
      await server.cleanup();
    }
  });

  it('a pre-signed uri is stored and audited with its query values redacted; the full uri only sealed, until the import ends', async () => {
    const server = await startServer();
    try {
      const sdk = sdkFor(server);
      const path = `/slow?size=${2 * 1024 * 1024}&X-Amz-Signature=${SECRET}`;
      const redacted = src.url('/slow?size=REDACTED&X-Amz-Signature=REDACTED');
      const op = await sdk.images.create({ folderId: 'secret', name: 'signed', uri: src.url(path) });
      await src.sent(path, 65536);
      // While it runs: the params hold the redacted uri and the full one sealed.
      const running = readDb(server.dataDir, (db) => db.prepare('SELECT params FROM operations WHERE id = ?').get(op.id) as { params: string });
      const params = JSON.parse(running.params);
      assert.equal(params.uri, redacted);
      assert.match(params.sealed.uri, /^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
      assert.equal((await waitDone(sdk, op)).error, undefined);
      sdk.close();

      const [image, finished] = readDb(server.dataDir, (db) => [
        db.prepare('SELECT source FROM compute_images WHERE name = ?').get('signed') as { source: string },
        db.prepare('SELECT params FROM operations WHERE id = ?').get(op.id) as { params: string },
      ] as const);
      assert.equal(image.source, `uri:${redacted}`);
      assert.deepEqual(JSON.parse(finished.params), { uri: redacted, requestedMinDiskSize: 0 }, 'the sealed uri is dropped');
      const ofImport = (all: Event[]) => all.filter((e) => e.details?.image_name === 'signed');
      const events = ofImport(await waitForEvents(join(server.dataDir, 'audit'), (all) => ofImport(all).length >= 2));
      assert.deepEqual(events.map((e) => e.event_status), ['STARTED', 'DONE']);
      for (const e of events) assert.equal(e.request_parameters.uri, redacted);
      // The secret was never written in plain text: not in the database, its WAL (which keeps
      // overwritten pages), the audit files or the log; checked while running and after the stop.
      const noSecretInDb = (when: string) => {
        for (const f of ['clouddesk.db', 'clouddesk.db-wal']) {
          const file = join(server.dataDir, f);
          if (existsSync(file)) assert.ok(!readFileSync(file).includes(SECRET), `${f} holds the secret (${when})`);
        }
      };
      assert.ok(existsSync(join(server.dataDir, 'clouddesk.db-wal')));
      noSecretInDb('running');
      await server.stop();
      noSecretInDb('stopped');
      assert.ok(!JSON.stringify(readEvents(join(server.dataDir, 'audit'))).includes(SECRET));
      assert.ok(!JSON.stringify(server.logs).includes(SECRET));
    } finally {
      await server.cleanup();
    }
  });
});
