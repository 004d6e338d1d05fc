/**
 * The health service in-process: status follows `serving()`, watchers hear of changes through
 * update() or the poll, and shutdown() ends their streams.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { HealthCheckRequestSchema, HealthCheckResponseSchema, type HealthCheckResponse } from '../gen/grpc/health/v1/health_pb.js';
import { OperationService } from '../gen/yandex/cloud/operation/operation_service_pb.js';
import { addHealthService, ServingStatus as S, type HealthReporter } from './health.js';

const serialize = (service: string) => Buffer.from(toBinary(HealthCheckRequestSchema, create(HealthCheckRequestSchema, { service })));
const deserialize = (b: Buffer) => fromBinary(HealthCheckResponseSchema, b);

let server: grpc.Server;
let client: grpc.Client;
let health: HealthReporter;
let up = true;

before(async () => {
  server = new grpc.Server();
  health = addHealthService(server, { serving: () => up, services: [OperationService], pollMs: 20 });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
});

after(() => {
  client.close();
  server.forceShutdown();
});

const check = (service: string) => new Promise<S>((resolve, reject) =>
  client.makeUnaryRequest('/grpc.health.v1.Health/Check', serialize, deserialize, service, (e, r) => (e ? reject(e) : resolve(r!.status))));

function watch(service: string) {
  const call = client.makeServerStreamRequest('/grpc.health.v1.Health/Watch', serialize, deserialize, service);
  const seen: S[] = [];
  call.on('data', (r: HealthCheckResponse) => seen.push(r.status));
  const ended = new Promise<grpc.StatusObject>((resolve) => call.on('status', resolve));
  call.on('error', () => undefined);
  const until = async (n: number) => {
    for (let i = 0; seen.length < n && i < 200; i++) await new Promise((r) => setTimeout(r, 5));
    return seen;
  };
  return { until, ended, cancel: () => call.cancel() };
}

describe('addHealthService', () => {
  it('answers for "", Health itself and the given services, following serving()', async () => {
    assert.equal(health.status('no.Such'), undefined);
    for (const name of ['', 'grpc.health.v1.Health', 'yandex.cloud.operation.OperationService']) {
      assert.equal(await check(name), S.SERVING, name);
    }
    up = false;
    assert.equal(await check(''), S.NOT_SERVING);
    up = true;
  });

  it('answers NOT_FOUND for an unknown service, echoing at most 100 characters of its name', async () => {
    await assert.rejects(check('no.Such'), (e: grpc.ServiceError) => e.code === grpc.status.NOT_FOUND && e.details === 'Unknown service "no.Such"');
    const huge = 'x'.repeat(3 * 1024 * 1024);
    await assert.rejects(check(huge), (e: grpc.ServiceError) =>
      e.code === grpc.status.NOT_FOUND && e.details.length < 200 && e.details.includes(`(${huge.length} characters, truncated)`));
  });

  it('tells watchers of a change at update(), and finds unreported ones by polling', async () => {
    const w = watch('');
    assert.deepEqual(await w.until(1), [S.SERVING]);
    up = false;
    health.update();
    assert.deepEqual(await w.until(2), [S.SERVING, S.NOT_SERVING]);
    up = true; // no update(): the 20 ms poll notices
    assert.deepEqual(await w.until(3), [S.SERVING, S.NOT_SERVING, S.SERVING]);
    w.cancel();
    assert.equal((await w.ended).code, grpc.status.CANCELLED);
  });

  it('on shutdown: NOT_SERVING, streams ended UNAVAILABLE, and new watchers ended at once', async () => {
    const w = watch('yandex.cloud.operation.OperationService');
    await w.until(1);
    health.shutdown();
    assert.deepEqual(await w.until(2), [S.SERVING, S.NOT_SERVING]);
    assert.equal((await w.ended).code, grpc.status.UNAVAILABLE);
    const late = watch('');
    assert.deepEqual(await late.until(1), [S.NOT_SERVING]);
    assert.equal((await late.ended).code, grpc.status.UNAVAILABLE);
    assert.equal(await check(''), S.NOT_SERVING);
  });
});
