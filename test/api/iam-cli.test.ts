/**
 * `clouddesk iam` end to end, as a new user would do it: with the bootstrap credential create
 * a service account and its key file (mode 0600), grant vdi.viewer on one folder, issue a
 * token from the key file; that identity lists images there but cannot copy, nor see another
 * folder. Also the generated bootstrap credential file (0600, path logged, token never).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startServer, type RunningServer } from '../harness/server.js';
import { compute, sdkFor, waitDone } from '../harness/sdk.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { rejectsWith } from '../harness/assert-error.js';
import { makeTestCert } from '../harness/tls.js';

const BIN = resolve(import.meta.dirname, '../../../bin/clouddesk.js');

interface Run { code: number | null; stdout: string; stderr: string }

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    const { CLOUDDESK_TOKEN: _, ...base } = process.env;
    // A profile in the user's own config must not steer the test.
    const child = spawn(process.execPath, [BIN, 'iam', ...args], { env: { ...base, XDG_CONFIG_HOME: dir, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

let server: RunningServer;
let src: ImageSource;
let dir: string;
let systemImageId: string;

before(async () => {
  server = await startServer();
  src = await startImageSource();
  dir = mkdtempSync(join(tmpdir(), 'clouddesk-cli-'));
  const admin = sdkFor(server);
  const op = await waitDone(admin, await admin.images.create({ folderId: 'standard-images', name: 'base', uri: src.url('/qcow2?virtual=1073741824') }));
  systemImageId = compute.image.Image.decode(op.response.value).id;
  await waitDone(admin, await admin.desktopImages.copy({ folderId: 'team-a', name: 'win', imageId: systemImageId }));
  admin.close();
});

after(async () => {
  await src.close();
  await server.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('clouddesk iam', () => {
  it('explains itself', async () => {
    const help = await cli(['--help']);
    assert.equal(help.code, 0);
    for (const word of ['service-account', 'key', 'add-access-binding', 'create-token', 'CLOUDDESK_TOKEN', '--insecure']) {
      assert.ok(help.stdout.includes(word), word);
    }
  });

  it('sets up a vdi.viewer that can list images in its folder and nothing more', async () => {
    const g = ['--insecure', '--endpoint', server.address];
    const asAdmin = { CLOUDDESK_TOKEN: server.token };
    const sa = await cli([...g, 'service-account', 'create', '--folder-id', 'accounts', '--name', 'viewer-bot'], asAdmin);
    assert.equal(sa.code, 0, sa.stderr);
    const account = JSON.parse(sa.stdout) as { id: string; folder_id: string; name: string };
    assert.match(account.id, /^aje[a-z0-9]{17}$/);
    assert.deepEqual([account.folder_id, account.name], ['accounts', 'viewer-bot']);

    const keyFile = join(dir, 'viewer-bot.json');
    const key = await cli([...g, 'key', 'create', '--service-account-id', account.id, '--output', keyFile], asAdmin);
    assert.equal(key.code, 0, key.stderr);
    assert.ok(!key.stdout.includes('PRIVATE KEY') && !key.stderr.includes('PRIVATE KEY'), 'the private key is printed');
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    const file = JSON.parse(readFileSync(keyFile, 'utf8')) as Record<string, string>;
    assert.deepEqual(Object.keys(file), ['id', 'service_account_id', 'created_at', 'key_algorithm', 'public_key', 'private_key']);
    assert.equal(file['service_account_id'], account.id);
    assert.equal(file['key_algorithm'], 'RSA_2048');
    assert.match(file['created_at']!, /Z$/);
    assert.match(file['private_key']!, /^-----BEGIN PRIVATE KEY-----\n/);
    const again = await cli([...g, 'key', 'create', '--service-account-id', account.id, '--output', keyFile], asAdmin);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists/);

    const bind = await cli([...g, 'folder', 'add-access-binding', 'team-a', '--role', 'vdi.viewer', '--service-account-id', account.id], asAdmin);
    assert.equal(bind.code, 0, bind.stderr);
    const listed = await cli([...g, 'folder', 'list-access-bindings', 'team-a'], asAdmin);
    assert.deepEqual(JSON.parse(listed.stdout), [{ role_id: 'vdi.viewer', subject: { id: account.id, type: 'serviceAccount' } }]);

    const tokenRun = await cli([...g, 'create-token', '--key-file', keyFile]); // needs no credential
    assert.equal(tokenRun.code, 0, tokenRun.stderr);
    const token = tokenRun.stdout.trim();
    assert.match(token, /^t1\./);

    const bot = sdkFor(server, token);
    const images = await bot.desktopImages.list({ folderId: 'team-a' });
    assert.deepEqual(images.desktopImages.map((i: any) => i.name), ['win']);
    await rejectsWith(bot.desktopImages.copy({ folderId: 'team-a', name: 'mine', imageId: systemImageId }), 7);
    await rejectsWith(bot.desktopImages.update({ imageId: images.desktopImages[0].id, updateMask: { paths: ['name'] }, name: 'x' }), 7);
    await rejectsWith(bot.desktopImages.list({ folderId: 'team-b' }), 7, /Permission denied to folder team-b/);
    bot.close();
  });

  it('fails with one line and exit code 1', async () => {
    const noToken = await cli(['--insecure', '--endpoint', server.address, 'service-account', 'list', '--folder-id', 'accounts']);
    assert.equal(noToken.code, 1);
    assert.match(noToken.stderr, /^clouddesk iam: no credential/);
    const denied = await cli(['--insecure', '--endpoint', server.address, 'service-account', 'list', '--folder-id', 'accounts'], {
      CLOUDDESK_TOKEN: 'not-a-token',
    });
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /UNAUTHENTICATED: The token is invalid or has expired/);
    const tls = await cli(['--endpoint', server.address, 'service-account', 'list', '--folder-id', 'x'], { CLOUDDESK_TOKEN: server.token });
    assert.equal(tls.code, 1);
    assert.match(tls.stderr, /UNAVAILABLE.*--insecure/);
    const badFile = await cli(['--insecure', '--endpoint', server.address, 'create-token', '--key-file', join(dir, 'missing.json')]);
    assert.match(badFile.stderr, /ENOENT/);
  });
});

describe('clouddesk iam over TLS', () => {
  it('trusts the CA given with --ca-file and refuses an unknown certificate', async () => {
    const cert = await makeTestCert(dir);
    const tls = await startServer({ args: ['--tls-cert', cert.certFile, '--tls-key', cert.keyFile] });
    try {
      const env = { CLOUDDESK_TOKEN: tls.token, CLOUDDESK_ENDPOINT: `localhost:${tls.port}` };
      const ok = await cli(['--ca-file', cert.certFile, 'folder', 'list-access-bindings', 'tls-folder'], env);
      assert.equal(ok.code, 0, ok.stderr);
      assert.deepEqual(JSON.parse(ok.stdout), []);
      const untrusted = await cli(['folder', 'list-access-bindings', 'tls-folder'], env);
      assert.equal(untrusted.code, 1);
      assert.match(untrusted.stderr, /UNAVAILABLE/);
    } finally {
      await tls.cleanup();
    }
  });
});

describe('the generated bootstrap credential', () => {
  it('is written once to <data-dir>/bootstrap-token with mode 0600; its path is logged, never the token', async () => {
    const own = await startServer({ env: { CLOUDDESK_BOOTSTRAP_TOKEN: '' } });
    try {
      const file = join(own.dataDir, 'bootstrap-token');
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const token = readFileSync(file, 'utf8').trim();
      assert.match(token, /^cdb1\.[A-Za-z0-9_-]{43}$/);
      assert.ok(own.logs.some((l) => l['file'] === file && /bootstrap credential created/.test(String(l['msg']))));
      const sdk = sdkFor(own, token);
      await sdk.desktopImages.list({ folderId: 'any' });
      sdk.close();
      const again = await own.restart({ env: { CLOUDDESK_BOOTSTRAP_TOKEN: '' } });
      assert.equal(readFileSync(file, 'utf8').trim(), token);
      const after = sdkFor(again, token);
      await after.desktopImages.list({ folderId: 'any' });
      after.close();
      assert.ok(!JSON.stringify([...own.logs, ...again.logs]).includes(token), 'the token is in the log');
      await again.cleanup();
    } finally {
      await own.cleanup();
    }
  });
});
