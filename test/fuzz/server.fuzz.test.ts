/**
 * Fuzzing a real server process (fast-check, the fixed seed of src/fuzz-params.ts, bounded
 * runs): REST JSON bodies and query strings, protobuf bytes over gRPC, and JWTs on both
 * protocols. Every answer must come within 5 s, never be INTERNAL or UNKNOWN, and be one of the
 * precise refusals the request can earn: INVALID_ARGUMENT with a message (naming the field when
 * the body decoded), NOT_FOUND for the ids nothing has, UNAUTHENTICATED for JWTs. The requests
 * are chosen so that an accepted one changes nothing (Copy and Update of images that do not
 * exist). Throttling is off here: the JWT cases fail authentication hundreds of times.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import fc from 'fast-check';
import { startServer, type RunningServer } from '../harness/server.js';
import { FUZZ_SEED, fuzzParams } from '../../src/fuzz-params.js';

let server: RunningServer;
let raw: grpc.Client;

before(async () => {
  server = await startServer({ args: ['--auth-failure-limit', '0'] });
  raw = new grpc.Client(server.address, grpc.credentials.createInsecure());
});

after(async () => {
  raw.close();
  await server.cleanup();
});

interface RestAnswer { status: number; code: number; message: string; fields: string[] }

async function rest(method: string, path: string, body?: Uint8Array | string, token: string | null = server.token): Promise<RestAnswer> {
  const res = await fetch(`http://${server.address}${path}`, {
    method, body, signal: AbortSignal.timeout(5000),
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
  });
  const json = (await res.json()) as { code?: number; message?: string; details?: { fieldViolations?: { field: string }[] }[] };
  return {
    status: res.status, code: json.code ?? 0, message: json.message ?? '',
    fields: (json.details ?? []).flatMap((d) => d.fieldViolations ?? []).map((v) => v.field),
  };
}

function refusedPrecisely(a: RestAnswer, allowed: number[]): void {
  assert.notEqual(a.status, 500, a.message);
  if (a.status === 200) return;
  assert.ok(allowed.includes(a.code), `code ${a.code}: ${a.message}`);
  assert.ok(a.message.length > 0 && a.message.length <= 2000, `message of ${a.message.length} characters`);
}

const FIELD_NAMES = ['folderId', 'folder_id', 'name', 'imageId', 'image_id', 'sourceImageId', 'description', 'labels', 'updateMask', 'desktopImageId', 'x'];
const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 60 }), fc.constantFrom('\u0000', 'e3v00000000000000001', 'b1g', 'a'.repeat(300), '2026-01-01T00:00:00Z'));
const bodyObject = fc.dictionary(fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 12 })), value, { maxKeys: 6 });
const bodyBytes = fc.oneof(
  bodyObject.map((o) => JSON.stringify(o)),
  bodyObject.map((o) => JSON.stringify(o).replace(/^\{/, '{"name":"dup",')),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 80 }),
  fc.uint8Array({ maxLength: 80 }),
);

describe(`fuzz: a real server (seed ${FUZZ_SEED})`, () => {
  it('REST JSON bodies of Copy and Update', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(['POST', '/cloud-desktop/v1/images:copy'], ['PATCH', '/cloud-desktop/v1/images/e3vnosuchimage000001']), bodyBytes,
      async ([method, path], body) => {
        const a = await rest(method!, path!, body);
        refusedPrecisely(a, [3, 5]);
        // A body that is a JSON object decoded: its refusal names a field.
        if (a.code === 3 && !/^Request body|^Request validation error: (?!$)/.test(a.message)) assert.ok(a.fields.length > 0, a.message);
      }), fuzzParams(250));
  });

  it('REST query strings of List and Get', async () => {
    const key = fc.oneof(fc.constantFrom('folderId', 'pageSize', 'pageToken', 'filter', 'orderBy', 'page_size', 'folder_id'), fc.string({ maxLength: 10 }));
    const query = fc.array(fc.tuple(key, fc.string({ maxLength: 40 })), { maxLength: 5 })
      .map((pairs) => new URLSearchParams(pairs).toString());
    await fc.assert(fc.asyncProperty(fc.constantFrom('/cloud-desktop/v1/images', '/cloud-desktop/v1/images/e3vnosuchimage000001', '/compute/v1/images'), query,
      async (path, q) => refusedPrecisely(await rest('GET', `${path}?${q}`), [3, 5])), fuzzParams(250));
  });

  it('protobuf bytes over gRPC', async () => {
    const methods = ['/yandex.cloud.clouddesktop.v1.api.DesktopImageService/Get', '/yandex.cloud.clouddesktop.v1.api.DesktopImageService/List',
      '/yandex.cloud.clouddesktop.v1.api.DesktopImageService/Copy', '/yandex.cloud.compute.v1.ImageService/List'];
    await fc.assert(fc.asyncProperty(fc.constantFrom(...methods), fc.uint8Array({ maxLength: 64 }), async (path, bytes) => {
      const err = await grpcCall(path, Buffer.from(bytes), server.token);
      if (err) assert.ok([3, 5].includes(err.code), `code ${err.code}: ${err.details}`);
    }), fuzzParams(300));
  });

  it('JWTs on IamTokenService.Create: UNAUTHENTICATED (or INVALID_ARGUMENT when empty)', async () => {
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const jwt = fc.oneof(
      fc.string({ maxLength: 120 }),
      fc.tuple(fc.jsonValue({ maxDepth: 1 }), fc.jsonValue({ maxDepth: 1 }), fc.base64String({ maxLength: 40 }))
        .map(([h, p, s]) => `${enc(h)}.${enc(p)}.${s.replace(/=+$/, '')}`),
      fc.record({ iss: fc.string(), iat: fc.integer(), exp: fc.integer() }).map((p) => `${enc({ alg: 'PS256', kid: 'ajekey' })}.${enc(p)}.c2ln`),
    );
    await fc.assert(fc.asyncProperty(jwt, fc.boolean(), async (text, overRest) => {
      if (overRest) {
        const a = await rest('POST', '/iam/v1/tokens', JSON.stringify({ jwt: text }), null);
        assert.ok(a.code === 16 || (a.code === 3 && text === ''), `code ${a.code}: ${a.message}`);
      } else {
        // field 2 (jwt), length-delimited
        const req = Buffer.concat([Buffer.from([0x12]), varint(Buffer.byteLength(text)), Buffer.from(text)]);
        const err = await grpcCall('/yandex.cloud.iam.v1.IamTokenService/Create', req, null);
        assert.ok(err && (err.code === 16 || (err.code === 3 && text === '')), `code ${err?.code}: ${err?.details}`);
      }
    }), fuzzParams(250));
  });
});

function grpcCall(path: string, body: Buffer, token: string | null): Promise<grpc.ServiceError | undefined> {
  const md = new grpc.Metadata();
  if (token) md.set('authorization', `Bearer ${token}`);
  return new Promise((resolve) => raw.makeUnaryRequest(path, (b: Buffer) => b, (b: Buffer) => b, body, md, { deadline: Date.now() + 5000 },
    (err) => resolve(err ?? undefined)));
}

function varint(n: number): Buffer {
  const out: number[] = [];
  for (; n >= 0x80; n >>>= 7) out.push((n & 0x7f) | 0x80);
  out.push(n);
  return Buffer.from(out);
}
