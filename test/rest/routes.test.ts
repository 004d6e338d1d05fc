/**
 * REST routes derived from the contract: every `google.api.http` binding of every generated
 * service is called over REST. Each RPC the server serves (over gRPC) must reach its handler
 * over REST too (not the gateway's "no route" 404 or a 405), and each RPC with an expected
 * outcome in route-cases.ts (route-cases-iam.ts) must succeed or fail exactly as expected, and
 * fail as route-errors.ts (route-errors-iam.ts) says. An annotated, served RPC without a working
 * route, an expected outcome or its main errors fails here without anyone listing it; an RPC that
 * is in proto/ but not served at all (not registered with the Router yet) is reported as skipped.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { startServer, type RunningServer } from '../harness/server.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { sdkJwt } from '../harness/iam.js';
import { httpBindings, httpRequestFor, type HttpBinding } from './descriptors.js';
import { assertStatus, restFor, violationsOf, type Rest, type RestResponse } from './rest-client.js';
import { expectedOutcomes as imageOutcomes, type Fixtures } from './route-cases.js';
import { iamOutcomes } from './route-cases-iam.js';
import { expectedErrors as imageErrors } from './route-errors.js';
import { iamErrors } from './route-errors-iam.js';
import { endpointErrors, endpointOutcomes } from './route-cases-endpoint.js';
import { desktopOutcomes } from './route-cases-desktops.js';
import { desktopErrors } from './route-errors-desktops.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const expectedOutcomes = { ...imageOutcomes, ...iamOutcomes, ...endpointOutcomes, ...desktopOutcomes };
const expectedErrors = { ...imageErrors, ...iamErrors, ...endpointErrors, ...desktopErrors };
const bindings = await httpBindings();
/** Decisions point 1: a GET custom method (`:verb`) also answers POST. */
const aliases = bindings.filter((b) => b.verb === 'GET' && /:[A-Za-z]+$/.test(b.template)).map((b) => ({ ...b, verb: 'POST' }));

let server: RunningServer;
let src: ImageSource;
let rest: Rest;
let fx: Fixtures;
let served: Set<string>;

before(async () => {
  server = await startServer({ args: ['--desktop-transition-ms', '10'] });
  src = await startImageSource();
  rest = restFor(server);
  served = await servedOverGrpc(server.address, bindings.map((b) => b.path));
  fx = await fixtures(rest, src, server);
});

after(async () => {
  await src.close();
  await server.cleanup();
});

async function fixtures(rest: Rest, src: ImageSource, server: RunningServer): Promise<Fixtures> {
  const folder = 'routes';
  const importImage = async (name: string, family?: string): Promise<Json> => {
    const res = await rest.post('/compute/v1/images', { folderId: folder, name, family, uri: src.url('/qcow2') });
    assert.equal(res.status, 200, res.text);
    return (await rest.waitDone(res.json)).response;
  };
  const copyImage = async (name: string): Promise<Json> => {
    const res = await rest.post('/cloud-desktop/v1/images:copy', { folderId: folder, name, imageId: computeImage.id });
    assert.equal(res.status, 200, res.text);
    return (await rest.waitDone(res.json)).response;
  };
  const computeImage = await importImage('routes-base', 'routes-family');
  const desktopImage = await copyImage('routes-desktop');
  const doneOp = await rest.waitDone((await rest.patch(`/cloud-desktop/v1/images/${desktopImage.id}`, { updateMask: 'labels', labels: { k: 'v' } })).json);
  const got = await rest.get(`/cloud-desktop/v1/images/${desktopImage.id}`);
  const iam = await iamFixtures(rest, server, folder);
  const desktops = await desktopFixtures(rest, folder, got.json, iam.serviceAccount);
  return {
    rest,
    folder,
    computeImage,
    desktopImage: got.json,
    doneOp,
    ...desktops,
    newComputeImage: (name) => importImage(name),
    newDesktopImage: copyImage,
    ...iam,
  };
}

type DesktopFixtures = Pick<Fixtures, 'desktopGroup' | 'desktop' | 'stoppedDesktop' | 'memberGroup' | 'newDesktopGroup' | 'newDesktop'>;

/** A group, its desktops and a group with members, made over REST as the bootstrap admin. */
async function desktopFixtures(rest: Rest, folder: string, image: Json, sa: Json): Promise<DesktopFixtures> {
  const done = async (res: RestResponse): Promise<Json> => {
    assert.equal(res.status, 200, res.text);
    const op = await rest.waitDone(res.json);
    assert.equal(op.error, undefined, JSON.stringify(op.error));
    return op.response;
  };
  const newDesktopGroup = async (name: string, extra: Json = {}): Promise<Json> => {
    const g = await done(await rest.post('/cloud-desktop/v1/desktopGroups', {
      folderId: folder, desktopImageId: image.id, name, networkInterfaceSpec: { networkId: 'routes-net', subnetIds: ['routes-subnet'] }, ...extra,
    }));
    return (await rest.get(`/cloud-desktop/v1/desktopGroups/${g.id}`)).json;
  };
  const desktopGroup = await newDesktopGroup('routes-group');
  const newDesktop = async (opts: { stopped?: boolean } = {}): Promise<Json> => {
    const d = await done(await rest.post('/cloud-desktop/v1/desktops', {
      desktopGroupId: desktopGroup.id, users: [{ subjectId: sa.id, subjectType: 'serviceAccount' }],
    }));
    if (opts.stopped) await done(await rest.post(`/cloud-desktop/v1/desktops/${d.id}:stop`, {}));
    return (await rest.get(`/cloud-desktop/v1/desktops/${d.id}`)).json;
  };
  await done(await rest.post(`/cloud-desktop/v1/desktopGroups/${desktopGroup.id}:setAccessBindings`, {
    accessBindings: [{ roleId: 'vdi.desktopGroups.user', subject: { id: sa.id, type: 'serviceAccount' } }],
  }));
  const d = await done(await rest.post('/cloud-desktop/v1/desktops', {
    desktopGroupId: desktopGroup.id, name: 'routes-desktop', users: [{ subjectId: sa.id, subjectType: 'serviceAccount' }],
  }));
  return {
    desktopGroup,
    desktop: (await rest.get(`/cloud-desktop/v1/desktops/${d.id}`)).json,
    stoppedDesktop: await newDesktop({ stopped: true }),
    memberGroup: await newDesktopGroup('routes-members', { groupConfig: { members: [{ id: 'someone-else', type: 'userAccount' }] } }),
    newDesktopGroup: (name) => newDesktopGroup(name),
    newDesktop,
  };
}

type IamFixtures = Pick<Fixtures, 'restAs' | 'serviceAccount' | 'key' | 'privateKey' | 'outsider' | 'viewer' | 'vdiAdmin' | 'boundFolder'
  | 'newServiceAccount' | 'newKey' | 'grant'>;

/** Service accounts, keys, tokens and grants, all made over REST as the bootstrap admin. */
async function iamFixtures(rest: Rest, server: RunningServer, folder: string): Promise<IamFixtures> {
  const anonymous = restFor(server, null);
  const newServiceAccount = async (name: string, extra: Json = {}): Promise<Json> => {
    const res = await rest.post('/iam/v1/serviceAccounts', { folderId: folder, name, ...extra });
    assert.equal(res.status, 200, res.text);
    const done = await rest.waitDone(res.json);
    assert.equal(done.error, undefined, JSON.stringify(done.error));
    return (await rest.get(`/iam/v1/serviceAccounts/${done.response.id}`)).json;
  };
  const newKey = async (serviceAccountId: string, description = ''): Promise<{ key: Json; privateKey: string }> => {
    const res = await rest.post('/iam/v1/keys', { serviceAccountId, description });
    assert.equal(res.status, 200, res.text);
    return res.json;
  };
  const grant = async (folderId: string, roleId: string, subject: { id: string; type: string }): Promise<void> => {
    const res = await rest.post(`/resource-manager/v1/folders/${folderId}:updateAccessBindings`, {
      accessBindingDeltas: [{ action: 'ADD', accessBinding: { roleId, subject } }],
    });
    assert.equal(res.status, 200, res.text);
    const done = await rest.waitDone(res.json);
    assert.equal(done.error, undefined, JSON.stringify(done.error));
  };
  /** The token of a new account holding `roleId` (if any) on the folder, from a JWT signed as the SDK signs it. */
  const tokenFor = async (name: string, roleId?: string): Promise<string> => {
    const sa = await newServiceAccount(name);
    const { key, privateKey } = await newKey(sa.id);
    if (roleId) await grant(folder, roleId, { id: sa.id, type: 'serviceAccount' });
    const res = await anonymous.post('/iam/v1/tokens', { jwt: sdkJwt({ serviceAccountId: sa.id, keyId: key.id, privateKey }) });
    assert.equal(res.status, 200, res.text);
    return res.json.iamToken;
  };
  const serviceAccount = await newServiceAccount('routes-robot', { description: 'routes robot', labels: { team: 'vdi' } });
  const { key, privateKey } = await newKey(serviceAccount.id, 'routes key');
  const boundFolder = 'routes-bound';
  await grant(boundFolder, 'viewer', { id: serviceAccount.id, type: 'serviceAccount' });
  await grant(boundFolder, 'vdi.viewer', { id: 'allAuthenticatedUsers', type: 'system' });
  return {
    restAs: (token) => restFor(server, token),
    serviceAccount,
    key,
    privateKey,
    outsider: await tokenFor('routes-outsider'),
    viewer: await tokenFor('routes-viewer', 'viewer'),
    vdiAdmin: await tokenFor('routes-vdi-admin', 'vdi.admin'),
    boundFolder,
    newServiceAccount: (name) => newServiceAccount(name),
    newKey: (serviceAccountId) => newKey(serviceAccountId),
    grant,
  };
}

/** Methods the server knows over gRPC: anything but grpc-js's own "does not implement". */
async function servedOverGrpc(address: string, paths: string[]): Promise<Set<string>> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  const out = new Set<string>();
  const id = (b: Buffer) => b;
  await Promise.all(
    [...new Set(paths)].map(
      (path) =>
        new Promise<void>((resolve) => {
          // An empty request without credentials: rejected before it can change anything.
          client.makeUnaryRequest(path, id, id, Buffer.alloc(0), new grpc.Metadata(), (err) => {
            if (!(err?.code === grpc.status.UNIMPLEMENTED && /does not implement/.test(err.details))) out.add(path);
            resolve();
          });
        }),
    ),
  );
  client.close();
  return out;
}

/** Sends `request` over the binding, as the bootstrap admin unless `token` says otherwise (null: no credential). */
function send(b: HttpBinding, request: Json, token?: string | null): Promise<RestResponse> {
  const { url, body } = httpRequestFor(b, request);
  return (token === undefined ? rest : restFor(server, token)).request(b.verb, url, { body });
}

describe('every annotated RPC has a working REST route', () => {
  for (const b of [...bindings, ...aliases]) {
    it(`${b.verb} ${b.template} reaches ${b.path}`, async (t) => {
      if (!served.has(b.path)) return t.skip(`${b.path} is not served over gRPC either`);
      // Placeholder path values: the handler answers (NOT_FOUND, INVALID_ARGUMENT, ...) but the
      // gateway must have routed the call.
      const placeholders = Object.fromEntries([...b.template.matchAll(/\{([^}=]+)/g)].map((m) => [m[1]!.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), 'x']));
      const res = await send(b, placeholders);
      assert.notEqual(res.status, 405, res.text);
      assert.doesNotMatch(res.json?.message ?? '', /^Path \S+ not found$/, `no route: ${res.text}`);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      assert.ok(res.json && typeof res.json === 'object', res.text);
    });
  }
});

describe('every annotated RPC answers as expected over REST', () => {
  for (const b of [...bindings, ...aliases]) {
    it(`${b.verb} ${b.template} (${b.path})`, async () => {
      const expected = expectedOutcomes[b.path];
      assert.ok(expected, `no expected outcome for ${b.path} in route-cases.ts or route-cases-iam.ts`);
      const c = await expected(fx);
      const res = await send(b, c.request, c.token);
      assert.equal(res.status, c.status, res.text);
      if (c.code !== undefined) assert.equal(res.json.code, c.code, res.text);
      if (c.message) assert.match(res.json.message, c.message);
      await c.check?.(res.json);
    });
  }

  it('has an expected outcome for every annotated RPC, and none for an RPC that is not', () => {
    assert.ok(bindings.length >= 48, `only ${bindings.length} bindings found`);
    assert.deepEqual(bindings.map((b) => b.path).filter((p) => !expectedOutcomes[p]), []);
    assert.deepEqual(Object.keys(expectedOutcomes).filter((p) => !bindings.some((b) => b.path === p)), []);
  });
});

describe('the main errors of every annotated RPC over REST', () => {
  for (const b of [...bindings, ...aliases]) {
    it(`${b.verb} ${b.template} (${b.path})`, async () => {
      const expected = expectedErrors[b.path];
      assert.ok(expected, `no main errors for ${b.path} in route-errors.ts or route-errors-iam.ts`);
      for (const c of expected(fx)) {
        const res = await send(b, c.request, c.token);
        const caller = c.token === undefined ? 'bootstrap admin' : c.token === null ? 'anonymous' : 'service account';
        assert.equal(res.status, c.status, `${caller}, ${JSON.stringify(c.request).slice(0, 160)}: HTTP ${res.status} ${res.text}`);
        assertStatus(res, c.status, c.code, c.message);
        if (c.violation) assert.match(violationsOf(res).join('\n'), c.violation);
      }
    });
  }

  it('lists main errors for every annotated RPC, and none for an RPC that is not', () => {
    assert.deepEqual(bindings.map((b) => b.path).filter((p) => !expectedErrors[p]), []);
    assert.deepEqual(Object.keys(expectedErrors).filter((p) => !bindings.some((b) => b.path === p)), []);
  });
});
