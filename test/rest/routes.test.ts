/**
 * REST routes derived from the contract: every `google.api.http` binding of every generated
 * service is called over REST. Each RPC the server serves (over gRPC) must reach its handler
 * over REST too (not the gateway's "no route" 404 or a 405), and each RPC with an expected
 * outcome in route-cases.ts must succeed or fail exactly as expected. An annotated, served RPC
 * without a working route fails here without anyone listing it; an RPC that is in proto/ but
 * not served at all (not registered with the Router yet) is reported as skipped.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { startServer, type RunningServer } from '../harness/server.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { httpBindings, httpRequestFor, type HttpBinding } from './descriptors.js';
import { assertStatus, restFor, violationsOf, type Rest, type RestResponse } from './rest-client.js';
import { expectedOutcomes, type Fixtures } from './route-cases.js';
import { expectedErrors } from './route-errors.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const bindings = await httpBindings();
/** Decisions point 1: a GET custom method (`:verb`) also answers POST. */
const aliases = bindings.filter((b) => b.verb === 'GET' && /:[A-Za-z]+$/.test(b.template)).map((b) => ({ ...b, verb: 'POST' }));

let server: RunningServer;
let src: ImageSource;
let rest: Rest;
let fx: Fixtures;
let served: Set<string>;

before(async () => {
  server = await startServer();
  src = await startImageSource();
  rest = restFor(server);
  served = await servedOverGrpc(server.address, bindings.map((b) => b.path));
  fx = await fixtures(rest, src);
});

after(async () => {
  await src.close();
  await server.cleanup();
});

async function fixtures(rest: Rest, src: ImageSource): Promise<Fixtures> {
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
  return {
    rest,
    folder,
    computeImage,
    desktopImage: got.json,
    doneOp,
    newComputeImage: (name) => importImage(name),
    newDesktopImage: copyImage,
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

function send(b: HttpBinding, request: Json): Promise<RestResponse> {
  const { url, body } = httpRequestFor(b, request);
  return rest.request(b.verb, url, { body });
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
    const expected = expectedOutcomes[b.path];
    if (!expected) {
      it(`${b.verb} ${b.template} (${b.path})`, { todo: 'no expected outcome in route-cases.ts yet' }, () => undefined);
      continue;
    }
    it(`${b.verb} ${b.template} (${b.path})`, async () => {
      const c = await expected(fx);
      const res = await send(b, c.request);
      assert.equal(res.status, c.status, res.text);
      if (c.code !== undefined) assert.equal(res.json.code, c.code, res.text);
      if (c.message) assert.match(res.json.message, c.message);
      await c.check?.(res.json);
    });
  }

  it('has an expected outcome for every RPC of the images and operations APIs', () => {
    const ours = bindings.filter((b) => /^\/yandex\.cloud\.(clouddesktop|compute|operation)\./.test(b.path));
    assert.ok(ours.length >= 17, `only ${ours.length} bindings found`);
    for (const b of ours) assert.ok(expectedOutcomes[b.path], `no expected outcome for ${b.path}`);
  });
});

describe('the main errors of every annotated RPC over REST', () => {
  for (const b of [...bindings, ...aliases]) {
    const expected = expectedErrors[b.path];
    if (!expected) continue;
    it(`${b.verb} ${b.template} (${b.path})`, async () => {
      for (const c of expected(fx)) {
        const res = await send(b, c.request);
        assertStatus(res, c.status, c.code, c.message);
        if (c.violation) assert.match(violationsOf(res).join('\n'), c.violation);
      }
    });
  }
});
