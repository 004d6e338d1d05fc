/**
 * Parity: one scenario, replayed through the official SDK over gRPC and through fetch over REST,
 * must give the same resources and the same errors (code and message), step by step, once ids,
 * timestamps, page tokens and the folder are normalised.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DescService } from '@bufbuild/protobuf';
import { startServer, type RunningServer } from '../harness/server.js';
import { sdkFor, type SdkClients } from '../harness/sdk.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { generatedServices, httpBindings, type HttpBinding } from './descriptors.js';
import { grpcProtocol, normalise, restProtocol, type Outcome, type Protocol } from './protocols.js';
import { restFor } from './rest-client.js';
import { waitFor } from '../harness/wait.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

let server: RunningServer;
let sdk: SdkClients;
let src: ImageSource;
let services: DescService[];
let bindings: HttpBinding[];

before(async () => {
  server = await startServer();
  sdk = sdkFor(server);
  src = await startImageSource();
  services = await generatedServices();
  bindings = await httpBindings();
});

after(async () => {
  sdk.close();
  await src.close();
  await server.cleanup();
});

const DI = '/yandex.cloud.clouddesktop.v1.api.DesktopImageService';
const IMG = '/yandex.cloud.compute.v1.ImageService';
const OPS = '/yandex.cloud.operation.OperationService';

type Step = [label: string, outcome: Outcome];

/** The scenario; every answer is recorded, in order. */
async function scenario(p: Protocol, folder: string): Promise<Step[]> {
  const steps: Step[] = [];
  const call = async (label: string, path: string, req: Json): Promise<Json> => {
    const out = await p.call(path, req);
    steps.push([label, out]);
    return 'ok' in out ? out.ok : undefined;
  };
  const wait = async (label: string, op: Json): Promise<Json> => {
    assert.ok(op, `${p.name} ${label}: no operation`);
    const done = await waitFor(
      async () => {
        const got = await p.call(`${OPS}/Get`, { operationId: op.id });
        assert.ok('ok' in got, `${p.name} ${label}: ${JSON.stringify(got)}`);
        return got.ok.done ? got : undefined;
      },
      { what: `${p.name} ${label}: operation ${op.id} to be done` },
    );
    steps.push([`${label} (done)`, done]);
    return done.ok;
  };

  const created = await call('compute create', `${IMG}/Create`, { folderId: folder, name: 'base', uri: src.url(`/qcow2?virtual=${8 * 1024 ** 3}`) });
  const source = (await wait('compute create', created)).response;
  await call('compute create, same name', `${IMG}/Create`, { folderId: folder, name: 'base', uri: src.url('/raw') });
  const images: Json[] = [];
  for (const name of ['charlie', 'alpha', 'bravo']) {
    const op = await call(`copy ${name}`, `${DI}/Copy`, { folderId: folder, name, imageId: source.id, labels: { n: name } });
    images.push((await wait(`copy ${name}`, op)).response);
  }
  await call('copy, invalid', `${DI}/Copy`, { folderId: '', name: 'n'.repeat(51), imageId: source.id });
  await call('copy, unknown source', `${DI}/Copy`, { folderId: folder, name: 'x', imageId: 'fd8nothere0000000000' });

  const page1 = await call('list page 1', `${DI}/List`, { folderId: folder, pageSize: '2', orderBy: 'name' });
  await call('list page 2', `${DI}/List`, { folderId: folder, pageSize: '2', orderBy: 'name', pageToken: page1?.nextPageToken });
  await call('list filtered', `${DI}/List`, { folderId: folder, filter: 'name IN ("alpha", "bravo")', orderBy: 'name desc' });
  await call('list, page size too big', `${DI}/List`, { folderId: folder, pageSize: '1001' });
  await call('list, bad filter', `${DI}/List`, { folderId: folder, filter: 'size > 1' });

  const [charlie, , bravo] = images;
  const upd = await call('update', `${DI}/Update`, { imageId: charlie.id, updateMask: 'name,labels', name: 'renamed', labels: { a: 'b' } });
  await wait('update', upd);
  await call('update, bad mask', `${DI}/Update`, { imageId: charlie.id, updateMask: 'status' });
  await call('get', `${DI}/Get`, { imageId: charlie.id });
  await call('get, unknown', `${DI}/Get`, { imageId: 'e3vnothere0000000000' });

  const del = await call('delete', `${DI}/Delete`, { imageId: bravo.id });
  const deleted = await wait('delete', del);
  await call('get, deleted', `${DI}/Get`, { imageId: bravo.id });
  await call('get operation', `${OPS}/Get`, { operationId: deleted.id });
  await call('cancel, done', `${OPS}/Cancel`, { operationId: deleted.id });
  await call('cancel, unknown', `${OPS}/Cancel`, { operationId: 'e3vnothere0000000000' });
  await call('compute list operations', `${IMG}/ListOperations`, { imageId: source.id });
  return steps;
}

describe('REST and gRPC parity', () => {
  it('the same scenario gives equal resources and equal errors over both protocols', async () => {
    const grpc = await scenario(grpcProtocol(sdk, services), 'parity-grpc');
    const rest = await scenario(restProtocol(restFor(server), bindings), 'parity-rest');
    assert.deepEqual(rest.map((s) => s[0]), grpc.map((s) => s[0]));
    const gIds = new Map<string, string>();
    const rIds = new Map<string, string>();
    for (let i = 0; i < grpc.length; i++) {
      const [label, g] = grpc[i]!;
      const r = rest[i]![1];
      assert.deepEqual(normalise(r, 'parity-rest', rIds), normalise(g, 'parity-grpc', gIds), `step "${label}" differs`);
    }
    // The scenario really exercised both outcomes.
    assert.ok(grpc.filter(([, o]) => 'error' in o).length >= 10);
    assert.ok(grpc.filter(([, o]) => 'ok' in o).length >= 15);
  });
});
