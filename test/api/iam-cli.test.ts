/**
 * `clouddesk iam` end to end, as a new user would do it: with the bootstrap credential create
 * a service account and its key file (mode 0600), grant vdi.viewer on one folder, issue a
 * token from the key file; that identity lists images there but cannot copy, nor see another
 * folder. Every iam command in the four output formats, yc's `ERROR:` line and exit codes
 * 0/1/2, as the other client commands. Also the generated bootstrap credential file (0600,
 * path logged, token never).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startServer, type RunningServer } from '../harness/server.js';
import { compute, sdkFor, waitDone } from '../harness/sdk.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { rejectsWith } from '../harness/assert-error.js';
import { makeTestCert } from '../harness/tls.js';
import { clouddesk, type Run } from '../cli/cli-harness.js';

/** `clouddesk iam ...`; a profile in the user's own config must not steer the test. */
const cli = (args: string[], env: Record<string, string> = {}): Promise<Run> => clouddesk(['iam', ...args], { XDG_CONFIG_HOME: dir, ...env });
const ok = (r: Run): Run => {
  assert.equal(r.code, 0, r.stderr);
  return r;
};
type Json = Record<string, any>;

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
    const sa = await cli([...g, 'service-account', 'create', '--folder-id', 'accounts', '--name', 'viewer-bot', '--format', 'json'], asAdmin);
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
    const listed = await cli([...g, 'folder', 'list-access-bindings', 'team-a', '--format', 'json'], asAdmin);
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

  it('fails with one ERROR line and exit code 1', async () => {
    const noToken = await cli(['--insecure', '--endpoint', server.address, 'service-account', 'list', '--folder-id', 'accounts']);
    assert.equal(noToken.code, 1);
    assert.match(noToken.stderr, /^ERROR: no credential/);
    const denied = await cli(['--insecure', '--endpoint', server.address, 'service-account', 'list', '--folder-id', 'accounts'], {
      CLOUDDESK_TOKEN: 'not-a-token',
    });
    assert.equal(denied.code, 1);
    assert.equal(denied.stderr, 'ERROR: rpc error: code = Unauthenticated desc = The token is invalid or has expired\n');
    const tls = await cli(['--endpoint', server.address, 'service-account', 'list', '--folder-id', 'x'], { CLOUDDESK_TOKEN: server.token });
    assert.equal(tls.code, 1);
    // (node warns first that an IP address is no TLS server name)
    assert.match(tls.stderr, /^ERROR: rpc error: code = Unavailable.*--insecure\)$/m);
    const badFile = await cli(['--insecure', '--endpoint', server.address, 'create-token', '--key-file', join(dir, 'missing.json')]);
    assert.equal(badFile.code, 1);
    assert.equal(badFile.stderr, `ERROR: ${join(dir, 'missing.json')}: ENOENT\n`);
  });
});

describe('clouddesk iam output and errors, as every client command', () => {
  const g = () => ['--insecure', '--endpoint', server.address];
  const asAdmin = () => ({ CLOUDDESK_TOKEN: server.token });
  const iam = (...args: string[]) => cli([...g(), ...args], asAdmin());

  it('prints service accounts, keys, bindings and tokens in json, yaml, json-rest and text', async () => {
    const f = ['--folder-id', 'fmt-accounts'];
    const created = parse(ok(await iam('service-account', 'create', 'fmt-bot', ...f, '--description', 'formats', '--format', 'yaml')).stdout) as Json;
    assert.deepEqual([created['folder_id'], created['name'], created['description'], created['status']], ['fmt-accounts', 'fmt-bot', 'formats', 'ACTIVE']);
    const saId = created['id'] as string;

    const asJson = JSON.parse(ok(await iam('service-account', 'list', ...f, '--format', 'json')).stdout) as Json[];
    assert.deepEqual(asJson.map((a) => [a['id'], a['name']]), [[saId, 'fmt-bot']]);
    assert.deepEqual(parse(ok(await iam('--format', 'yaml', 'service-account', 'list', ...f)).stdout), asJson);
    const asRest = JSON.parse(ok(await iam('service-account', 'list', ...f, '--format', 'json-rest')).stdout) as Json[];
    assert.deepEqual([asRest[0]!['folderId'], asRest[0]!['folder_id']], ['fmt-accounts', undefined]);
    const table = ok(await iam('service-account', 'list', ...f)).stdout;
    assert.match(table, /^\+-+\+/);
    assert.match(table, /\| +ID +\| +NAME +\| +CREATED AT +\|/);
    assert.ok(table.includes(`| ${saId} | fmt-bot |`), table);
    assert.equal(JSON.parse(ok(await iam('service-account', 'list', ...f, '--limit', '0', '--format', 'json')).stdout).length, 0);
    assert.deepEqual(JSON.parse(ok(await iam('service-account', 'get', 'fmt-bot', ...f, '--format', 'json')).stdout), asJson[0]);
    assert.equal((parse(ok(await iam('service-account', 'get', '--id', saId)).stdout) as Json)['name'], 'fmt-bot');

    const keyFile = join(dir, 'fmt-bot.json');
    const key = JSON.parse(ok(await iam('key', 'create', '--service-account-name', 'fmt-bot', ...f, '--output', keyFile, '--format', 'json')).stdout) as Json;
    assert.deepEqual(Object.keys(key), ['id', 'service_account_id', 'created_at', 'key_algorithm']); // as yc: no public key
    assert.deepEqual([key['service_account_id'], key['key_algorithm']], [saId, 'RSA_2048']);
    assert.equal((JSON.parse(readFileSync(keyFile, 'utf8')) as Json)['id'], key['id']);
    const keys = parse(ok(await iam('key', 'list', '--service-account-id', saId, '--format', 'yaml')).stdout) as Json[];
    assert.deepEqual(keys.map((k) => k['id']), [key['id']]);
    assert.match(keys[0]!['public_key'], /^-----BEGIN PUBLIC KEY-----/);
    assert.match(ok(await iam('key', 'list', '--service-account-id', saId)).stdout, /\| +ID +\| ALGORITHM \| +CREATED AT +\|\n(.|\n)*\| RSA_2048 +\|/);
    assert.equal((JSON.parse(ok(await iam('key', 'get', key['id'], '--format', 'json-rest')).stdout) as Json)['serviceAccountId'], saId);

    const added = JSON.parse(ok(await iam('folder', 'add-access-binding', 'fmt-team', '--role', 'viewer', '--service-account-id', saId, '--format', 'json')).stdout) as Json;
    assert.deepEqual(added['effective_deltas'], [{ action: 'ADD', access_binding: { role_id: 'viewer', subject: { id: saId, type: 'serviceAccount' } } }]);
    ok(await iam('folder', 'add-access-binding', '--id', 'fmt-team', '--role', 'vdi.viewer', '--subject', 'allAuthenticatedUsers'));
    const bindings = parse(ok(await iam('folder', 'list-access-bindings', 'fmt-team', '--format', 'yaml')).stdout) as Json[];
    assert.deepEqual(bindings.map((b) => [b['role_id'], b['subject']['type']]).sort(), [['vdi.viewer', 'system'], ['viewer', 'serviceAccount']]);
    assert.match(ok(await iam('folder', 'list-access-bindings', 'fmt-team')).stdout, /\| +ROLE ID +\| +SUBJECT +\|/);
    const removing = JSON.parse(ok(await iam('folder', 'remove-access-binding', 'fmt-team', '--role', 'vdi.viewer', '--subject', 'system:allAuthenticatedUsers',
      '--async', '--format', 'json')).stdout) as Json;
    assert.equal(removing['metadata']['@type'], 'type.googleapis.com/yandex.cloud.access.UpdateAccessBindingsMetadata');
    ok(await clouddesk(['operation', 'wait', removing['id'], ...g()], { XDG_CONFIG_HOME: dir, ...asAdmin() }));
    assert.deepEqual((JSON.parse(ok(await iam('folder', 'list-access-bindings', 'fmt-team', '--format', 'json')).stdout) as Json[]).map((b) => b['role_id']), ['viewer']);

    const text = ok(await cli([...g(), 'create-token', '--key-file', keyFile])).stdout;
    assert.match(text, /^t1\.\S+\n$/); // the bare token, as yc iam create-token
    const token = JSON.parse(ok(await cli([...g(), 'create-token', '--key-file', keyFile, '--format', 'json'])).stdout) as Json;
    assert.deepEqual(Object.keys(token), ['iam_token', 'expires_at']);
    assert.match(token['iam_token'], /^t1\./);
    assert.ok(Date.parse(token['expires_at']) > Date.now());
    assert.deepEqual(Object.keys(parse(ok(await cli([...g(), 'create-token', '--key-file', keyFile, '--format', 'yaml'])).stdout) as Json), ['iam_token', 'expires_at']);

    assert.equal(ok(await iam('key', 'delete', key['id'])).stdout, ''); // google.protobuf.Empty prints nothing, as yc
    const keyGone = await iam('key', 'get', '--id', key['id']);
    assert.deepEqual([keyGone.code, keyGone.stdout, keyGone.stderr], [1, '', `ERROR: rpc error: code = NotFound desc = Key ${key['id']} not found\n`]);
    assert.equal(ok(await iam('service-account', 'delete', 'fmt-bot', ...f)).stdout, '');
    const saGone = await iam('service-account', 'get', saId, '--format', 'json');
    assert.deepEqual([saGone.code, saGone.stdout, saGone.stderr], [1, '', `ERROR: rpc error: code = NotFound desc = Service account ${saId} not found\n`]);
  });

  it('a key file that cannot be written leaves no key behind', async () => {
    const created = JSON.parse(ok(await iam('service-account', 'create', 'file-bot', '--folder-id', 'fmt-accounts', '--format', 'json')).stdout) as Json;
    const taken = join(dir, 'taken.json');
    ok(await iam('key', 'create', '--service-account-id', created['id'], '--output', taken));
    const again = await iam('key', 'create', '--service-account-id', created['id'], '--output', taken);
    assert.deepEqual([again.code, again.stdout, again.stderr], [1, '', `ERROR: ${taken} already exists; choose another --output\n`]);
    assert.equal(JSON.parse(ok(await iam('key', 'list', '--service-account-id', created['id'], '--format', 'json')).stdout).length, 1);
    ok(await iam('service-account', 'delete', '--id', created['id']));
  });

  it('exits 2 on a usage error, before calling the server', async () => {
    const out = join(dir, 'never.json');
    for (const [args, ours] of [
      [['service-account', 'create', '--folder-id', 'fmt-accounts'], true],
      [['service-account', 'create', 'a', '--name', 'b', '--folder-id', 'fmt-accounts'], true],
      [['service-account', 'list'], true], // no folder: no flag, no profile
      [['service-account', 'get'], true],
      [['service-account', 'list', '--folder-id', 'x', '--format', 'xml'], false],
      [['service-account', 'list', '--folder-id', 'x', '--limit', 'many'], true],
      [['key', 'create', '--output', out], true],
      [['key', 'create', '--service-account-id', 'aje00000000000000000', '--output', out, '--algorithm', 'dsa'], true],
      [['key', 'create', '--service-account-id', 'aje00000000000000000'], false],
      [['key', 'delete'], true],
      [['folder', 'add-access-binding', 'f', '--role', 'viewer'], true],
      [['folder', 'add-access-binding', 'f', '--service-account-id', 'aje00000000000000000'], false],
      [['folder', 'add-access-binding', 'f', '--role', 'viewer', '--subject', 'nobody'], true],
      [['folder', 'list-access-bindings'], true],
      [['create-token'], false],
      [['service-acount', 'list'], false],
      [['key', 'create', '--bogus'], false],
    ] as const) {
      const r = await iam(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '', args.join(' '));
      if (ours) assert.match(r.stderr, /^ERROR: \S/, args.join(' '));
      else assert.notEqual(r.stderr, '', args.join(' '));
    }
    assert.equal(existsSync(out), false);
  });
});

describe('clouddesk iam over TLS', () => {
  it('trusts the CA given with --ca-file and refuses an unknown certificate', async () => {
    const cert = await makeTestCert(dir);
    const tls = await startServer({ args: ['--tls-cert', cert.certFile, '--tls-key', cert.keyFile] });
    try {
      const env = { CLOUDDESK_TOKEN: tls.token, CLOUDDESK_ENDPOINT: `localhost:${tls.port}` };
      const listed = ok(await cli(['--ca-file', cert.certFile, 'folder', 'list-access-bindings', 'tls-folder', '--format', 'json'], env));
      assert.deepEqual(JSON.parse(listed.stdout), []);
      const untrusted = await cli(['folder', 'list-access-bindings', 'tls-folder'], env);
      assert.equal(untrusted.code, 1);
      assert.match(untrusted.stderr, /^ERROR: rpc error: code = Unavailable/);
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
