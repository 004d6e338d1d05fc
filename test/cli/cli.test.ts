/**
 * The yc-style client commands against a real server: profiles, every command of desktops
 * image, compute image and operation, the four output formats parsed back, global flags on
 * either side of the command, exit codes 0/1/2 and yc's error line, and shell completion.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startServer, type RunningServer } from '../harness/server.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { clouddesk, type Run } from './cli-harness.js';

let server: RunningServer;
let src: ImageSource;
let home: string;
/** The command suites run concurrently; each has its own config directory. */
let work: string;
const env = () => ({ XDG_CONFIG_HOME: home });
const cd = (...args: string[]): Promise<Run> => clouddesk(args, env());
const cw = (...args: string[]): Promise<Run> => clouddesk(args, { XDG_CONFIG_HOME: work });
const ok = (r: Run): Run => {
  assert.equal(r.code, 0, r.stderr);
  return r;
};
type Json = Record<string, unknown>;

before(async () => {
  server = await startServer();
  src = await startImageSource();
  home = mkdtempSync(join(tmpdir(), 'clouddesk-xdg-'));
  work = mkdtempSync(join(tmpdir(), 'clouddesk-xdg-'));
  for (const args of [['profile', 'create', 'test'], ['set', 'endpoint', server.address], ['set', 'insecure', 'true'],
    ['set', 'token', server.token], ['set', 'folder-id', 'team-a']]) ok(await cw('config', ...args));
});

after(async () => {
  await src.close();
  await server.cleanup();
  rmSync(home, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('clouddesk config', () => {
  it('creates, sets, activates, lists and uses profiles; the file is 0600', async () => {
    ok(await cd('config', 'profile', 'create', 'local'));
    ok(await cd('config', 'set', 'endpoint', server.address));
    ok(await cd('config', 'set', 'insecure', 'true'));
    ok(await cd('config', 'set', 'token', server.token));
    ok(await cd('config', 'set', 'folder-id', 'team-a'));
    const file = join(home, 'clouddesk', 'config.yaml');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const content = parse(readFileSync(file, 'utf8')) as { current: string; profiles: Record<string, Json> };
    assert.equal(content.current, 'local');
    assert.deepEqual(content.profiles['local'], { endpoint: server.address, insecure: true, token: server.token, 'folder-id': 'team-a' });

    ok(await cd('config', 'profile', 'create', 'elsewhere')); // created and activated, as yc
    ok(await cd('config', 'set', 'endpoint', '127.0.0.1:1'));
    ok(await cd('config', 'set', 'token', server.token));
    assert.equal(ok(await cd('config', 'profile', 'list')).stdout, 'local\nelsewhere ACTIVE\n');
    const unreachable = await cd('desktops', 'image', 'list', '--folder-id', 'team-a');
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, /^ERROR: rpc error: code = Unavailable/);
    ok(await cd('--profile', 'local', 'desktops', 'image', 'list'));
    ok(await cd('config', 'profile', 'activate', 'local'));
    assert.equal(ok(await cd('config', 'profile', 'list')).stdout, 'local ACTIVE\nelsewhere\n');
    assert.match(ok(await cd('config', 'list')).stdout, /endpoint: 127\.0\.0\.1:\d+\n(.|\n)*token: cdt1\.\.\.\n/);

    // The environment overrides the profile.
    const envWins = await clouddesk(['desktops', 'image', 'list'], { ...env(), CLOUDDESK_ENDPOINT: '127.0.0.1:1' });
    assert.equal(envWins.code, 1);
    const badToken = await clouddesk(['desktops', 'image', 'list'], { ...env(), CLOUDDESK_TOKEN: 'not-a-token' });
    assert.match(badToken.stderr, /^ERROR: rpc error: code = Unauthenticated desc = /);

    assert.equal((await cd('config', 'set', 'insecure', 'maybe')).code, 1);
    assert.equal((await cd('config', 'set', 'colour', 'blue')).code, 2);
    assert.equal((await cd('config', 'profile', 'activate', 'missing')).code, 1);
  });
});

describe('clouddesk compute image, desktops image, operation', () => {
  let computeId = '';

  it('creates, lists, gets and updates a Compute image in every format', async () => {
    const created = JSON.parse(ok(await cw('compute', 'image', 'create', 'base', '--source-uri', src.url('/qcow2?virtual=1073741824'),
      '--folder-id', 'standard-images', '--labels', 'os=linux', '--format', 'json')).stdout) as Json;
    assert.equal(created['name'], 'base');
    assert.equal(created['folder_id'], 'standard-images');
    assert.equal(created['status'], 'READY');
    assert.deepEqual(created['labels'], { os: 'linux' });
    computeId = created['id'] as string;

    const g = ['--folder-id', 'standard-images'];
    const asJson = JSON.parse(ok(await cw('compute', 'image', 'list', ...g, '--format', 'json')).stdout) as Json[];
    assert.deepEqual(asJson.map((i) => i['id']), [computeId]);
    const asYaml = parse(ok(await cw('--format', 'yaml', 'compute', 'image', 'list', ...g)).stdout) as Json[];
    assert.deepEqual(asYaml, asJson);
    const asRest = JSON.parse(ok(await cw('compute', 'image', 'list', ...g, '--format', 'json-rest')).stdout) as Json[];
    assert.equal(asRest[0]!['folderId'], 'standard-images');
    assert.equal(asRest[0]!['folder_id'], undefined);
    const text = ok(await cw('compute', 'image', 'list', ...g)).stdout;
    assert.match(text, /^\+-+\+/);
    assert.match(text, /\| +ID +\| NAME \|/);
    assert.ok(text.includes(`| ${computeId} | base `));

    const byName = parse(ok(await cw('compute', 'image', 'get', 'base', ...g)).stdout) as Json;
    assert.equal(byName['id'], computeId);
    assert.equal((parse(ok(await cw('compute', 'image', 'get', '--id', computeId)).stdout) as Json)['name'], 'base');
    const updated = parse(ok(await cw('compute', 'image', 'update', '--name', 'base', ...g, '--description', 'the base', '--format', 'yaml')).stdout) as Json;
    assert.equal(updated['description'], 'the base');
  });

  it('copies, lists, gets, updates and deletes desktop images; --async and operation get|wait|cancel', async () => {
    const copied = parse(ok(await cw('desktops', 'image', 'copy', '--compute-image-id', computeId, '--new-image-name', 'win',
      '--labels', 'env=dev', '--format', 'yaml')).stdout) as Json;
    assert.equal(copied['folder_id'], 'team-a'); // from the profile
    assert.equal(copied['name'], 'win');
    assert.equal(copied['status'], 'ACTIVE');

    const op = JSON.parse(ok(await cw('desktops', 'image', 'copy', '--async', '--compute-image-id', computeId, '--new-image-name', 'linux', '--format', 'json')).stdout) as Json;
    assert.match(op['id'] as string, /^[a-z0-9]{20}$/);
    assert.equal((op['metadata'] as Json)['@type'], 'type.googleapis.com/yandex.cloud.clouddesktop.v1.api.CopyDesktopImageMetadata');
    const waited = JSON.parse(ok(await cw('operation', 'wait', op['id'] as string, '--format', 'json')).stdout) as Json;
    assert.equal(waited['done'], true);
    assert.equal((waited['response'] as Json)['name'], 'linux');
    const got = parse(ok(await cw('operation', 'get', op['id'] as string)).stdout) as Json;
    assert.equal(got['id'], op['id']);
    const cancelDone = await cw('operation', 'cancel', op['id'] as string);
    assert.equal(cancelDone.code, 1);
    assert.match(cancelDone.stderr, /^ERROR: rpc error: code = \w+ desc = /);

    const list = JSON.parse(ok(await cw('desktops', 'image', 'list', '--format', 'json')).stdout) as Json[];
    assert.deepEqual(list.map((i) => i['name']).sort(), ['linux', 'win']);
    assert.match(ok(await cw('desktops', 'image', 'list')).stdout, /\| +ID +\| +NAME +\| STATUS \| +CREATED AT +\|/);
    assert.deepEqual(JSON.parse(ok(await cw('desktops', 'image', 'list', '--limit', '1', '--format', 'json')).stdout).length, 1);

    const renamed = parse(ok(await cw('desktops', 'image', 'update', 'win', '--new-name', 'win-2', '--labels', 'env=prod')).stdout) as Json;
    assert.equal(renamed['name'], 'win-2');
    assert.deepEqual(renamed['labels'], { env: 'prod' });
    const one = JSON.parse(ok(await cw('desktops', 'image', 'get', '--name', 'win-2', '--format', 'json-rest')).stdout) as Json;
    assert.equal(one['id'], copied['id']);
    assert.equal(one['folderId'], 'team-a');

    const deleted = ok(await cw('desktops', 'image', 'delete', 'win-2', list.find((i) => i['name'] === 'linux')!['id'] as string));
    assert.equal(deleted.stdout, '');
    assert.deepEqual(JSON.parse(ok(await cw('desktops', 'image', 'list', '--format', 'json')).stdout), []);
    const gone = await cw('desktops', 'image', 'get', copied['id'] as string);
    assert.equal(gone.code, 1);
    assert.equal(gone.stdout, '');
    assert.equal(gone.stderr, `ERROR: rpc error: code = NotFound desc = Desktop image ${copied['id']} not found\n`);

    ok(await cw('compute', 'image', 'delete', computeId));
    assert.equal((await cw('compute', 'image', 'get', computeId)).code, 1);
  });

  it('exits 2 on a usage error: unknown flag or command, missing or conflicting arguments', async () => {
    for (const args of [
      ['desktops', 'image', 'list', '--bogus'],
      ['desktops', 'image', 'lst'],
      ['desktops', 'image'],
      ['nothing'],
      ['desktops', 'image', 'copy', '--new-image-name', 'x'],
      ['desktops', 'image', 'copy', '--compute-image-id', 'a', '--desktop-id', 'b'],
      ['desktops', 'image', 'update', 'win'],
      ['compute', 'image', 'create', 'x'],
      ['compute', 'image', 'list', '--format', 'xml'],
      ['operation', 'get'],
      ['completion', 'fish'],
    ]) {
      const r = await cw(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '', args.join(' '));
      assert.notEqual(r.stderr, '', args.join(' '));
    }
    assert.equal(ok(await cw('--help')).code, 0);
  });
});

describe('clouddesk completion', () => {
  for (const shell of ['bash', 'zsh']) {
    it(`prints a ${shell} script that knows the commands and flags`, async () => {
      const out = ok(await cw('completion', shell)).stdout;
      for (const word of ['desktops image', 'copy', '--compute-image-id', '--format', 'operation']) assert.ok(out.includes(word), word);
      const check = spawnSync(shell, ['-n'], { input: out });
      if (check.error === undefined) assert.equal(check.status, 0, check.stderr.toString());
    });
  }
});
