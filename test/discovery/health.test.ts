/**
 * grpc.health.v1.Health (Check, Watch) over gRPC, and /healthz, /readyz over HTTP, against the
 * real server: the same readiness on both, NOT_SERVING to watchers once the server stops.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  HealthCheckRequestSchema,
  HealthCheckResponseSchema,
  HealthCheckResponse_ServingStatus as S,
  type HealthCheckResponse,
} from '../../src/gen/grpc/health/v1/health_pb.js';
import { startServer, type RunningServer } from '../harness/server.js';
import { listServices } from './raw-reflection.js';

const serialize = (service: string) => Buffer.from(toBinary(HealthCheckRequestSchema, create(HealthCheckRequestSchema, { service })));
const deserialize = (b: Buffer) => fromBinary(HealthCheckResponseSchema, b);

function check(client: grpc.Client, service: string): Promise<S> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest('/grpc.health.v1.Health/Check', serialize, deserialize, service, (err, res) =>
      err ? reject(err) : resolve(res!.status));
  });
}

interface Watch {
  readonly seen: S[];
  /** Resolves with the status that ended the stream. */
  readonly ended: Promise<grpc.StatusObject | grpc.ServiceError>;
  next(count: number): Promise<void>;
  cancel(): void;
}

function watch(client: grpc.Client, service: string): Watch {
  const call = client.makeServerStreamRequest('/grpc.health.v1.Health/Watch', serialize, deserialize, service);
  const seen: S[] = [];
  const waiters: (() => void)[] = [];
  call.on('data', (r: HealthCheckResponse) => {
    seen.push(r.status);
    waiters.splice(0).forEach((w) => w());
  });
  const ended = new Promise<grpc.StatusObject | grpc.ServiceError>((resolve) => {
    call.on('error', resolve);
    call.on('status', resolve);
  });
  return {
    seen,
    ended,
    next: async (count) => {
      while (seen.length < count) await new Promise<void>((r) => waiters.push(r));
    },
    cancel: () => call.cancel(),
  };
}

let server: RunningServer;
let client: grpc.Client;

before(async () => {
  server = await startServer();
  client = new grpc.Client(server.address, grpc.credentials.createInsecure());
});

after(async () => {
  client.close();
  await server.cleanup();
});

describe('grpc.health.v1.Health', () => {
  it('Check: SERVING for the server and for every service reflection lists', async () => {
    assert.equal(await check(client, ''), S.SERVING);
    const names = await listServices(server.address);
    assert.ok(names.length >= 6);
    for (const name of names) assert.equal(await check(client, name), S.SERVING, name);
  });

  it('Check: NOT_FOUND for an unknown service', async () => {
    await assert.rejects(check(client, 'no.such.Service'), (e: grpc.ServiceError) => {
      assert.equal(e.code, grpc.status.NOT_FOUND);
      assert.match(e.details, /no\.such\.Service/);
      return true;
    });
  });

  it('Watch: the current status at once; SERVICE_UNKNOWN for an unknown service, stream kept open', async () => {
    const all = watch(client, '');
    const unknown = watch(client, 'no.such.Service');
    await all.next(1);
    await unknown.next(1);
    assert.deepEqual(all.seen, [S.SERVING]);
    assert.deepEqual(unknown.seen, [S.SERVICE_UNKNOWN]);
    all.cancel();
    unknown.cancel();
    assert.equal((await all.ended).code, grpc.status.CANCELLED);
  });
});

describe('HTTP /healthz and /readyz', () => {
  it('answer 200 SERVING while gRPC health says SERVING', async () => {
    for (const path of ['/healthz', '/readyz']) {
      const res = await fetch(`http://${server.address}${path}`);
      assert.equal(res.status, 200, path);
      assert.deepEqual(await res.json(), { status: 'SERVING' });
      assert.ok(res.headers.get('x-request-id'));
    }
    assert.equal(await check(client, ''), S.SERVING);
  });
});

describe('shutting down', () => {
  it('tells watchers NOT_SERVING, then ends their streams UNAVAILABLE, without holding up the stop', async () => {
    const other = await startServer();
    const c = new grpc.Client(other.address, grpc.credentials.createInsecure());
    try {
      const w = watch(c, 'yandex.cloud.operation.OperationService');
      await w.next(1);
      const started = Date.now();
      const code = await other.stop();
      assert.equal(code, 0);
      // The harness gives a 3 s grace; an open Watch must not use it up.
      assert.ok(Date.now() - started < 2500, `stop took ${Date.now() - started} ms`);
      await w.next(2);
      assert.deepEqual(w.seen, [S.SERVING, S.NOT_SERVING]);
      assert.equal((await w.ended).code, grpc.status.UNAVAILABLE);
    } finally {
      c.close();
      await other.cleanup();
    }
  });
});
