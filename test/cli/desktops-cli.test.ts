/**
 * `clouddesk desktops group|desktop` against a real server: create a group, a desktop in it,
 * stop and start it, its RDP file and a new password, list and update, access bindings, delete;
 * every format parsed back; exit codes 0, 1 (API) and 2 (command line).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startServer, type RunningServer } from '../harness/server.js';
import { compute, sdkFor, waitDone, type SdkClients } from '../harness/sdk.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { clouddesk, type Run } from './cli-harness.js';

describe('clouddesk desktops group and desktop', () => {
  let server: RunningServer;
  let sdk: SdkClients;
  let src: ImageSource;
  let imageId: string;
  let env: Record<string, string>;

  const cli = (...args: string[]): Promise<Run> => clouddesk([...args, '--insecure', '--folder-id', 'team'], env);
  const ok = async (...args: string[]): Promise<string> => {
    const run = await cli(...args);
    assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
    return run.stdout;
  };
  const json = async (...args: string[]): Promise<any> => {
    const out = await ok(...args, '--format', 'json');
    assert.notEqual(out, '', `${args.join(' ')} printed nothing`);
    return JSON.parse(out);
  };

  before(async () => {
    server = await startServer({ args: ['--desktop-transition-ms', '0'] });
    sdk = sdkFor(server);
    src = await startImageSource();
    const op = await waitDone(sdk, await sdk.images.create({ folderId: 'team', name: 'base', uri: src.url(`/qcow2?virtual=${1024 ** 3}`) }));
    await waitDone(sdk, await sdk.desktopImages.copy({ folderId: 'team', name: 'img', imageId: compute.image.Image.decode(op.response.value).id }));
    imageId = (await sdk.desktopImages.list({ folderId: 'team' })).desktopImages[0].id;
    env = { XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'clouddesk-cli-')), CLOUDDESK_TOKEN: server.token, CLOUDDESK_ENDPOINT: `127.0.0.1:${server.port}` };
  });
  after(async () => {
    sdk.close();
    await src.close();
    await server.cleanup();
  });

  it('creates a group and a desktop, stops and starts it, gives its RDP file and a password, deletes both', async () => {
    const group = await json('desktops', 'group', 'create', '--name', 'dev', '--desktop-image-id', imageId,
      '--resources', 'memory=2G,cores=2', '--boot-disk', 'type=ssd,size=10G', '--group-config', 'max-desktops-amount=5,desktop-type=persistent',
      '--labels', 'env=test');
    assert.equal(group.name, 'dev');
    assert.equal(group.status, 'ACTIVE');
    assert.equal(group.resources_spec.cores, '2');
    assert.equal(group.resources_spec.memory, String(2 * 1024 ** 3));
    assert.deepEqual(group.labels, { env: 'test' });

    const listed = parseYaml(await ok('desktops', 'group', 'list', '--format', 'yaml'));
    assert.deepEqual(listed.map((g: { id: string }) => g.id), [group.id]);
    assert.match(await ok('desktops', 'group', 'list'), /\| dev +\| ACTIVE/);

    const desktop = await json('desktops', 'desktop', 'create', 'mine', '--desktop-group-id', group.id, '--user', 'subject-id=u-1,subject-type=userAccount');
    assert.equal(desktop.name, 'mine');
    assert.equal(desktop.desktop_group_id, group.id);
    assert.equal(desktop.status, 'ACTIVE');

    const inGroup = await json('desktops', 'group', 'list-desktops', 'dev');
    assert.deepEqual(inGroup.map((d: { id: string }) => d.id), [desktop.id]);
    assert.equal((await json('desktops', 'desktop', 'stop', 'mine')).status, 'STOPPED');
    assert.equal((await json('desktops', 'desktop', 'get', '--id', desktop.id)).status, 'STOPPED');
    assert.equal((await json('desktops', 'desktop', 'start', 'mine')).status, 'ACTIVE');

    const rdp = await ok('desktops', 'desktop', 'get-rdp-file', 'mine', '--user', 'subject-id=u-1');
    assert.match(rdp, /full address:s:/);
    const rdpJson = await json('desktops', 'desktop', 'get-rdp-file', 'mine', '--user', 'subject-id=u-1');
    assert.match(rdpJson.content, /full address:s:/);
    const password = await json('desktops', 'desktop', 'reset-password', 'mine', '--user', 'subject-id=u-1');
    assert.ok(password.password.length >= 8);

    const renamed = await json('desktops', 'desktop', 'update', 'mine', '--new-name', 'ours', '--labels', 'a=b');
    assert.equal(renamed.name, 'ours');
    assert.deepEqual(renamed.labels, { a: 'b' });
    const ops = await json('desktops', 'desktop', 'list-operations', 'ours');
    assert.ok(ops.length >= 4 && ops.every((op: { done: boolean }) => op.done));
    const groupOps = await json('desktops', 'group', 'list-operations', 'dev');
    assert.ok(groupOps.length >= 1);
    await ok('desktops', 'group', 'update', 'dev', '--description', 'team desktops');
    assert.equal((await json('desktops', 'group', 'get', 'dev')).description, 'team desktops');

    const asyncOp = await json('desktops', 'desktop', 'restart', 'ours', '--async');
    assert.ok(asyncOp.id);
    await waitDone(sdk, { id: asyncOp.id, done: false });

    assert.equal(await ok('desktops', 'desktop', 'delete', 'ours'), '');
    assert.deepEqual(await json('desktops', 'desktop', 'list'), []);
    assert.equal(await ok('desktops', 'group', 'delete', 'dev'), '');
    assert.deepEqual(await json('desktops', 'group', 'list'), []);
  });

  it('adds, lists, sets and removes access bindings of a group', async () => {
    const group = await json('desktops', 'group', 'create', 'shared', '--desktop-image-id', imageId);
    await ok('desktops', 'group', 'add-access-binding', 'shared', '--role', 'vdi.viewer', '--subject', 'system:allAuthenticatedUsers');
    const bindings = await json('desktops', 'group', 'list-access-bindings', 'shared');
    assert.deepEqual(bindings, [{ role_id: 'vdi.viewer', subject: { id: 'allAuthenticatedUsers', type: 'system' } }]);
    await ok('desktops', 'group', 'set-access-bindings', '--id', group.id, '--access-binding', 'role=vdi.desktopGroups.user,subject=system:allAuthenticatedUsers');
    assert.deepEqual(await json('desktops', 'group', 'list-access-bindings', 'shared'), [{ role_id: 'vdi.desktopGroups.user', subject: { id: 'allAuthenticatedUsers', type: 'system' } }]);
    await ok('desktops', 'group', 'remove-access-binding', 'shared', '--role', 'vdi.desktopGroups.user', '--subject', 'system:allAuthenticatedUsers');
    assert.deepEqual(await json('desktops', 'group', 'list-access-bindings', 'shared'), []);
    await ok('desktops', 'group', 'delete', '--name', 'shared');
  });

  it('exits 2 for a wrong command line and 1 for an API error', async () => {
    for (const args of [
      ['desktops', 'group', 'create', 'x', '--desktop-image-id', imageId, '--resources', 'cores=2'],
      ['desktops', 'group', 'create', 'x', '--desktop-image-id', imageId, '--boot-disk', 'type=nvme,size=1G'],
      ['desktops', 'group', 'create', 'x'],
      ['desktops', 'desktop', 'create', '--desktop-group-id', 'e3vnothere0000000000'],
      ['desktops', 'group', 'add-access-binding', 'x', '--role', 'vdi.user'],
      ['desktops', 'desktop', 'nonsense'],
    ]) {
      const run = await cli(...args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /error/i);
    }
    const missing = await cli('desktops', 'desktop', 'get', '--id', 'e3vnothere0000000000');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^ERROR: rpc error: code = NotFound desc = Desktop e3vnothere0000000000 not found/);
    const noGroup = await cli('desktops', 'group', 'get', '--name', 'absent');
    assert.equal(noGroup.code, 1);
  });
});
