/**
 * Wire compatibility with the official SDK: every message of our protos that the SDK also has
 * is filled with a value in every field, encoded with our generated code, decoded and re-encoded
 * with the SDK's, and decoded again with ours. A field with another number or type than the
 * SDK's is dropped or garbled on the way and fails the comparison.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { clearField, createRegistry, equals, fromBinary, fromJson, toBinary, type DescField, type DescFile, type DescMessage, type JsonValue } from '@bufbuild/protobuf';
import { file_google_protobuf_empty } from '@bufbuild/protobuf/wkt';

const require = createRequire(import.meta.url);
const registry = createRegistry(file_google_protobuf_empty);

/**
 * Fields newer than the SDK 3.2.0 snapshot (cloudapi of 2026-04-16): the SDK skips them as
 * unknown, which is exactly what an older client does. Listed by name so nothing else hides.
 */
const NEWER_THAN_SDK: Record<string, string[]> = {
  'yandex.cloud.compute.v1.Image': ['size'],
  // ServiceAccount status/expiry arrived on 2026-06-17 (wire-contract.md 16.1).
  'yandex.cloud.iam.v1.ServiceAccount': ['status', 'expires_at'],
  'yandex.cloud.iam.v1.CreateServiceAccountRequest': ['expires_at'],
  'yandex.cloud.iam.v1.UpdateServiceAccountRequest': ['expires_at'],
  // Desktop group schedules arrived on 2026-07-06 (wire-contract.md 8.1).
  'yandex.cloud.clouddesktop.v1.api.DesktopGroupConfiguration': ['lifetime'],
};

/** Whole messages newer than the SDK snapshot: Suspend and Reactivate (2026-06-17), group schedules (2026-07-06). */
const MESSAGES_NEWER_THAN_SDK = new Set([
  ...['Suspend', 'Reactivate'].flatMap((rpc) => ['Request', 'Metadata', 'Response'].map((m) => `yandex.cloud.iam.v1.${rpc}ServiceAccount${m}`)),
  'yandex.cloud.clouddesktop.v1.api.DesktopGroupConfiguration.Lifetime',
]);

interface SdkCodec {
  decode(b: Uint8Array): unknown;
  encode(m: unknown): { finish(): Uint8Array };
  fromPartial(o: object): object;
}

function sampleValue(f: DescField | { fieldKind: 'scalar'; scalar: number }, depth: number): JsonValue | undefined {
  switch (f.fieldKind) {
    case 'scalar':
      return scalarSample(f.scalar);
    case 'enum':
      return f.enum.values[f.enum.values.length - 1]!.name;
    case 'message':
      return messageSample(f.message, depth + 1);
    case 'list': {
      const el =
        f.listKind === 'scalar' ? scalarSample(f.scalar)
        : f.listKind === 'enum' ? f.enum.values[f.enum.values.length - 1]!.name
        : messageSample(f.message, depth + 1);
      return el === undefined ? undefined : [el, el];
    }
    case 'map': {
      const v =
        f.mapKind === 'scalar' ? scalarSample(f.scalar)
        : f.mapKind === 'enum' ? f.enum.values[f.enum.values.length - 1]!.name
        : messageSample(f.message, depth + 1);
      return v === undefined ? undefined : { k1: v, k2: v };
    }
  }
}

function scalarSample(scalar: number): JsonValue {
  // ScalarType: 9 string, 12 bytes, 8 bool, 3/4/16/18/6 64-bit, else 32-bit numbers.
  if (scalar === 9) return 'sample-text';
  if (scalar === 12) return 'AQID';
  if (scalar === 8) return true;
  if ([3, 4, 6, 16, 18].includes(scalar)) return '1234567890123';
  if (scalar === 1 || scalar === 2) return 1.5;
  return 42;
}

function messageSample(m: DescMessage, depth: number): JsonValue | undefined {
  switch (m.typeName) {
    case 'google.protobuf.Timestamp': return '2025-03-01T10:00:03.512Z';
    case 'google.protobuf.FieldMask': return 'name,labels';
    case 'google.protobuf.Any': return { '@type': 'type.googleapis.com/google.protobuf.Empty' };
    case 'google.protobuf.Empty': return {};
  }
  if (depth > 3) return undefined;
  const out: Record<string, JsonValue> = {};
  const seenOneofs = new Set<string>();
  for (const f of m.fields) {
    if (f.oneof) {
      if (seenOneofs.has(f.oneof.name)) continue;
      seenOneofs.add(f.oneof.name);
    }
    const v = sampleValue(f, depth);
    if (v !== undefined) out[f.jsonName] = v;
  }
  return out;
}

/** Clears fields the SDK cannot know, in the message and in nested messages of that type. */
function dropNewer(m: DescMessage, msg: object): void {
  for (const f of m.fields) {
    const v = (msg as Record<string, unknown>)[f.localName];
    if ((NEWER_THAN_SDK[m.typeName] ?? []).includes(f.name)) clearField(msg as never, f);
    else if (f.fieldKind === 'message' && v) dropNewer(f.message, v as object);
    else if (f.fieldKind === 'list' && f.listKind === 'message') for (const e of v as object[]) dropNewer(f.message, e);
  }
}

function allMessages(file: DescFile): DescMessage[] {
  const out: DescMessage[] = [];
  const walk = (ms: readonly DescMessage[]) => {
    for (const m of ms) {
      out.push(m);
      walk(m.nestedMessages);
    }
  };
  walk(file.messages);
  return out;
}

async function ourFiles(): Promise<DescFile[]> {
  const files: DescFile[] = [];
  const distGen = join(import.meta.dirname, '../../src/gen/yandex/cloud');
  for (const e of readdirSync(distGen, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || !e.name.endsWith('_pb.js')) continue;
    const mod = (await import(join(e.parentPath, e.name))) as Record<string, unknown>;
    for (const [k, v] of Object.entries(mod)) if (k.startsWith('file_')) files.push(v as DescFile);
  }
  return files;
}

describe('wire compatibility with @yandex-cloud/nodejs-sdk', async () => {
  const files = (await ourFiles()).filter((f) => !f.name.endsWith('validation') && !f.name.endsWith('api/operation'));
  assert.ok(files.length >= 8, `found ${files.length} generated files`);
  for (const file of files) {
    it(`${file.name}.proto round-trips through the SDK`, () => {
      // Every file of ours must have its SDK counterpart: if the SDK moves or drops one, this
      // fails naming it instead of leaving the file untested.
      const sdkPath = `@yandex-cloud/nodejs-sdk/dist/generated/${file.name}`;
      let sdkModule: Record<string, SdkCodec>;
      try {
        sdkModule = require(sdkPath);
      } catch (err) {
        assert.fail(`the SDK has no module ${sdkPath} for ${file.name}.proto: ${(err as Error).message.split('\n')[0]}`);
      }
      let checked = 0;
      for (const m of allMessages(file)) {
        const sdkName = m.typeName.slice(file.proto.package.length + 1).replaceAll('.', '_');
        const codec = sdkModule[sdkName];
        if (MESSAGES_NEWER_THAN_SDK.has(m.typeName)) {
          assert.equal(codec, undefined, `${m.typeName} is in the SDK now: check it`);
          continue;
        }
        assert.ok(codec?.decode, `the SDK has no message ${m.typeName} (no ${sdkName} in ${sdkPath})`);
        // An exemption holds only while the SDK really lacks the field.
        for (const name of NEWER_THAN_SDK[m.typeName] ?? []) {
          const f = m.fields.find((x) => x.name === name);
          assert.ok(f, `NEWER_THAN_SDK lists ${m.typeName}.${name}, which is not a field of ours`);
          assert.ok(!(f.localName in codec.fromPartial({})), `${m.typeName}.${name} is in the SDK now: drop it from NEWER_THAN_SDK`);
        }
        const original = fromJson(m, messageSample(m, 0) ?? {}, { registry });
        const bytes = toBinary(m, original);
        const again = fromBinary(m, codec.encode(codec.decode(bytes)).finish());
        dropNewer(m, original);
        assert.ok(equals(m, original, again), `${m.typeName} changed after the SDK round trip`);
        checked++;
      }
      assert.ok(checked > 0);
    });
  }

  it('every exemption names a message of ours', () => {
    const ours = new Set(files.flatMap((f) => allMessages(f).map((m) => m.typeName)));
    for (const name of [...Object.keys(NEWER_THAN_SDK), ...MESSAGES_NEWER_THAN_SDK]) {
      assert.ok(ours.has(name), `${name} is exempt from the round trip but is no message of ours`);
    }
  });
});
