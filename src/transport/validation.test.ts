import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { create, createFileRegistry, setExtension } from '@bufbuild/protobuf';
import type { DescExtension, DescFile, DescMessage, MessageInitShape } from '@bufbuild/protobuf';
import {
  FieldDescriptorProto_Label as Label, FieldDescriptorProto_Type as Type, FieldDescriptorProtoSchema, FieldOptionsSchema,
  FileDescriptorProtoSchema,
} from '@bufbuild/protobuf/wkt';
import type { DescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { InvalidArgumentError } from '../domain/errors.js';
import { assertValid, validateMessage } from './validation.js';
import * as v from '../gen/yandex/cloud/validation_pb.js';
import {
  CopyDesktopImageRequestSchema, CopyFromDesktopRequestSchema, ListDesktopImagesRequestSchema, UpdateDesktopImageRequestSchema,
} from '../gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { CreateImageRequestSchema, ListImagesRequestSchema } from '../gen/yandex/cloud/compute/v1/image_service_pb.js';
import { SetAccessBindingsRequestSchema, UpdateAccessBindingsRequestSchema } from '../gen/yandex/cloud/access/access_pb.js';

/** Violations as `field: description` lines, so whole results compare at a glance. */
function check<D extends DescMessage>(schema: D, init: Record<string, unknown>): string[] {
  return validateMessage(schema, create(schema, init as MessageInitShape<D>)).map((x) => `${x.field}: ${x.description}`);
}

const ok = { folderId: 'b1g', name: 'img', imageId: 'e3v' };
const emoji = '\u{1F600}';

describe('validation: desktop image requests', () => {
  it('accepts a valid List request and checks paging bounds', () => {
    assert.deepEqual(check(ListDesktopImagesRequestSchema, { folderId: 'b1g' }), []);
    assert.deepEqual(check(ListDesktopImagesRequestSchema, {
      folderId: 'f'.repeat(50), pageSize: 1000n, pageToken: 't'.repeat(100), filter: 'f'.repeat(1000), orderBy: 'o'.repeat(100),
    }), []);
    assert.deepEqual(check(ListDesktopImagesRequestSchema, { folderId: 'b1g', pageSize: -1n }),
      ['page_size: Value must be in range 0-1000']);
  });

  it('reports every invalid field at once, in declaration order', () => {
    assert.deepEqual(check(ListDesktopImagesRequestSchema, {
      pageSize: 1001n, pageToken: 't'.repeat(101), filter: 'f'.repeat(1001), orderBy: 'o'.repeat(101),
    }), [
      'folder_id: Field is required',
      'page_size: Value must be in range 0-1000',
      'page_token: Length must be less than or equal to 100',
      'filter: Length must be less than or equal to 1000',
      'order_by: Length must be less than or equal to 100',
    ]);
    assert.deepEqual(check(CopyDesktopImageRequestSchema, { folderId: 'f'.repeat(51) }), [
      'folder_id: Length must be less than or equal to 50', 'name: Field is required', 'image_id: Field is required',
    ]);
  });

  it('refuses control characters in every name field, with or without a pattern', () => {
    const refused = 'name: Must not contain control characters (U+0000-U+001F, U+007F-U+009F)';
    for (const bad of ['a\u0000b', 'tab\there', 'esc\u001b[31m', 'del\u007f', 'c1\u0085']) {
      assert.deepEqual(check(UpdateDesktopImageRequestSchema, { imageId: 'e3v', name: bad }), [refused], JSON.stringify(bad));
      assert.deepEqual(check(CreateImageRequestSchema, { folderId: 'b1g', name: bad, source: { case: 'uri', value: 'https://x/y' } }), [refused], JSON.stringify(bad));
    }
    assert.deepEqual(check(UpdateDesktopImageRequestSchema, { imageId: 'e3v', name: `ok ${emoji} имя` }), []);
  });

  it('counts length in code points', () => {
    assert.deepEqual(check(CopyDesktopImageRequestSchema, { ...ok, name: emoji.repeat(50) }), []);
    assert.deepEqual(check(CopyDesktopImageRequestSchema, { ...ok, name: emoji.repeat(51) }),
      ['name: Length must be less than or equal to 50']);
  });

  it('checks label keys, values and count', () => {
    const labels = (l: Record<string, string>): string[] => check(CopyDesktopImageRequestSchema, { ...ok, labels: l });
    assert.deepEqual(labels({ env: 'prod', 'a-b_1': '', ['k'.repeat(63)]: 'v'.repeat(63) }), []);
    assert.deepEqual(labels({ Env: 'x', '': 'x', ['k'.repeat(64)]: 'x', env: 'Prod', team: 'v'.repeat(64) }), [
      'labels: key "Env": Value must match the pattern [a-z][-_0-9a-z]*',
      'labels: key "": Length must be in range 1-63',
      `labels: key "${'k'.repeat(64)}": Length must be in range 1-63`,
      'labels: value of key "env": Value must match the pattern [-_0-9a-z]*',
      'labels: value of key "team": Length must be less than or equal to 63',
    ]);
    const many = (n: number, key = (i: number) => `k${i}`): Record<string, string> =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [key(i), 'v']));
    assert.deepEqual(labels(many(64)), []);
    // Once the count is wrong the entries are not looked at: one violation for the field.
    assert.deepEqual(labels(many(65, (i) => `K${i}`)), ['labels: Size must be less than or equal to 64']);
  });

  it('leaves optional fields alone when unset and checks them when set', () => {
    assert.deepEqual(check(UpdateDesktopImageRequestSchema, { imageId: 'x'.repeat(200) }), []);
    assert.deepEqual(check(CopyFromDesktopRequestSchema, { desktopId: 'd' }), []);
    assert.deepEqual(check(UpdateDesktopImageRequestSchema, { name: 'n'.repeat(51), description: 'd'.repeat(1025) }), [
      'image_id: Field is required',
      'name: Length must be less than or equal to 50',
      'description: Length must be less than or equal to 1024',
    ]);
  });

  it('assertValid throws InvalidArgumentError with the violations', () => {
    assert.doesNotThrow(() => assertValid(ListDesktopImagesRequestSchema, create(ListDesktopImagesRequestSchema, { folderId: 'f' })));
    assert.throws(() => assertValid(ListDesktopImagesRequestSchema, create(ListDesktopImagesRequestSchema, { pageSize: 2000n })),
      (e: unknown) => {
        assert.ok(e instanceof InvalidArgumentError);
        assert.deepEqual(e.violations, [
          { field: 'folder_id', description: 'Field is required' },
          { field: 'page_size', description: 'Value must be in range 0-1000' },
        ]);
        assert.equal(e.message,
          'Request validation error: folder_id: Field is required; page_size: Value must be in range 0-1000');
        return true;
      });
  });
});

describe('validation: compute image requests', () => {
  const source = { source: { case: 'imageId', value: 'fd8' } };
  const create_ = (init: Record<string, unknown>): string[] => check(CreateImageRequestSchema, { folderId: 'b1g', ...source, ...init });

  it('requires exactly one source', () => {
    assert.deepEqual(create_({}), []);
    assert.deepEqual(create_({ source: { case: 'uri', value: 'https://x/y.qcow2' } }), []);
    const text = 'source: Exactly one of image_id, disk_id, snapshot_id, uri must be set';
    assert.deepEqual(create_({ source: { case: undefined } }), [text]);
    assert.deepEqual(create_({ source: { case: 'diskId', value: '' } }), [text]);
    assert.deepEqual(create_({ source: { case: 'snapshotId', value: 's'.repeat(51) } }),
      ['snapshot_id: Length must be less than or equal to 50']);
  });

  it('checks name and family patterns as whole-value matches', () => {
    assert.deepEqual(create_({ name: 'a', family: 'ubuntu-2204' }), []);
    assert.deepEqual(create_({ name: 'Bad', family: 'ab' }), [
      'name: Value must match the pattern |[a-z]([-_a-z0-9]{0,61}[a-z0-9])?',
      'family: Value must match the pattern |[a-z][-a-z0-9]{1,61}[a-z0-9]',
    ]);
    assert.deepEqual(create_({ name: 'ok name' }), ['name: Value must match the pattern |[a-z]([-_a-z0-9]{0,61}[a-z0-9])?']);
  });

  it('checks labels with the wider Compute character set (`\\@` compiles without the u flag)', () => {
    assert.deepEqual(create_({ labels: { 'a@b.c/d': 'x@y.z/w' } }), []);
    assert.deepEqual(create_({ labels: { '1a': 'x' } }), ['labels: key "1a": Value must match the pattern [a-z][-_./\\@0-9a-z]*']);
  });

  it('checks min_disk_size range and repeated element lengths', () => {
    assert.deepEqual(create_({ minDiskSize: 4194304n }), []);
    assert.deepEqual(create_({ minDiskSize: 4398046511104n }), []);
    const range = 'min_disk_size: Value must be in range 4194304-4398046511104';
    assert.deepEqual(create_({ minDiskSize: 4194303n }), [range]);
    assert.deepEqual(create_({ minDiskSize: 4398046511105n }), [range]);
    assert.deepEqual(create_({ productIds: ['a', 'b', 'p'.repeat(51), '', 'q'.repeat(51)] }), [
      'product_ids[2]: Length must be less than or equal to 50', 'product_ids[4]: Length must be less than or equal to 50',
    ]);
  });

  it('checks a one-sided value bound', () => {
    assert.deepEqual(check(ListImagesRequestSchema, { folderId: 'b1g', pageSize: 1000n }), []);
    assert.deepEqual(check(ListImagesRequestSchema, { folderId: 'b1g', pageSize: 1001n }),
      ['page_size: Value must be less than or equal to 1000']);
  });
});

describe('validation: access bindings (nested messages)', () => {
  const binding = { roleId: 'viewer', subject: { id: 'aje', type: 'userAccount' } };

  it('walks repeated messages with full paths', () => {
    assert.deepEqual(check(UpdateAccessBindingsRequestSchema, {
      resourceId: 'r', accessBindingDeltas: [{ action: 1, accessBinding: binding }],
    }), []);
    assert.deepEqual(check(UpdateAccessBindingsRequestSchema, {
      resourceId: 'r'.repeat(65),
      accessBindingDeltas: [
        { action: 1, accessBinding: binding },
        { action: 2, accessBinding: { roleId: 'x'.repeat(65), subject: { type: 't' } } },
        {},
      ],
    }), [
      'resource_id: Length must be less than or equal to 64',
      'access_binding_deltas[1].access_binding.role_id: Length must be less than or equal to 64',
      'access_binding_deltas[1].access_binding.subject.id: Field is required',
      'access_binding_deltas[2].action: Field is required',
      'access_binding_deltas[2].access_binding: Field is required',
    ]);
  });

  it('checks element counts', () => {
    const deltas = (n: number) => Array.from({ length: n }, () => ({ action: 1, accessBinding: binding }));
    assert.deepEqual(check(UpdateAccessBindingsRequestSchema, { resourceId: 'r', accessBindingDeltas: [] }),
      ['access_binding_deltas: Size must be in range 1-1000']);
    assert.deepEqual(check(UpdateAccessBindingsRequestSchema, { resourceId: 'r', accessBindingDeltas: deltas(1001) }),
      ['access_binding_deltas: Size must be in range 1-1000']);
    assert.deepEqual(check(SetAccessBindingsRequestSchema, { resourceId: 'r' }), []);
    assert.deepEqual(check(SetAccessBindingsRequestSchema, { resourceId: 'r', accessBindings: deltas(1000).map(() => binding) }), []);
    assert.deepEqual(check(SetAccessBindingsRequestSchema, { resourceId: 'r', accessBindings: deltas(1001).map(() => binding) }),
      ['access_bindings: Size must be less than or equal to 1000']);
    assert.deepEqual(check(SetAccessBindingsRequestSchema, { resourceId: 'r', accessBindings: [binding, { roleId: 'x' }] }),
      ['access_bindings[1].subject: Field is required']);
  });
});

interface FieldInit { name: string; type?: Type; label?: Label; typeName?: string; opts?: Array<[DescExtension, unknown]> }
interface MessageInit { name: string; fields: FieldInit[]; mapEntry?: boolean; nested?: MessageInit[] }

function messageProto({ name, fields, mapEntry, nested = [] }: MessageInit): MessageInitShape<typeof DescriptorProtoSchema> {
  const field = fields.map(({ opts = [], ...f }, i) => {
    const options = create(FieldOptionsSchema);
    for (const [ext, val] of opts) setExtension(options, ext, val as never);
    return create(FieldDescriptorProtoSchema, { number: i + 1, label: Label.OPTIONAL, type: Type.STRING, jsonName: f.name, ...f, options });
  });
  return { name, field, options: mapEntry ? { mapEntry } : undefined, nestedType: nested.map(messageProto) };
}

/** A throwaway message `test.Synth` whose fields carry the given options. */
function synth(fields: FieldInit[], nested: MessageInit[] = [], others: MessageInit[] = []): DescMessage {
  const file = create(FileDescriptorProtoSchema, {
    name: 'test/synth.proto', package: 'test', syntax: 'proto3',
    messageType: [{ name: 'Synth', fields, nested }, ...others].map(messageProto),
  });
  return createFileRegistry(file, () => undefined).getMessage('test.Synth')!;
}

describe('validation: rules not used by the real protos', () => {
  it('unique, exact and one-sided bounds, required lists', () => {
    const desc = synth([
      { name: 'tags', label: Label.REPEATED, opts: [[v.unique, true], [v.required, true]] },
      { name: 'code', opts: [[v.length, '3']] },
      { name: 'a', type: Type.INT32, opts: [[v.value, '>2']] },
      { name: 'b', type: Type.INT64, opts: [[v.value, '<5']] },
      { name: 'c', type: Type.INT32, opts: [[v.value, '>=-1']] },
    ]);
    assert.deepEqual(check(desc, { tags: ['x', 'y'], code: 'abc', a: 3, b: 4n, c: -1 }), []);
    assert.deepEqual(check(desc, { tags: ['x', 'y', 'x'], code: 'ab', a: 2, b: 5n, c: -2 }), [
      'tags: Elements must be unique', 'code: Length must be equal to 3', 'a: Value must be greater than 2',
      'b: Value must be less than 5', 'c: Value must be greater than or equal to -1',
    ]);
    assert.deepEqual(check(desc, { code: 'abc' }), ['tags: Field is required']);
  });

  it('checks an empty string against a pattern only where it was sent', () => {
    const desc = synth([
      { name: 'req', opts: [[v.required, true], [v.pattern, '[a-z]+']] },
      { name: 'opt', opts: [[v.pattern, '[a-z]+']] },
      { name: 'list', label: Label.REPEATED, opts: [[v.pattern, '[a-z]+']] },
    ]);
    assert.deepEqual(check(desc, { req: 'a', list: ['b'] }), []);
    assert.deepEqual(check(desc, { list: ['b', ''] }), [
      'req: Field is required', 'list[1]: Value must match the pattern [a-z]+',
    ]);
    assert.deepEqual(check(desc, { req: 'a1', opt: 'B' }), [
      'req: Value must match the pattern [a-z]+', 'opt: Value must match the pattern [a-z]+',
    ]);
  });

  it('recurses into map message values and numeric map keys', () => {
    const desc = synth([
      { name: 'items', label: Label.REPEATED, type: Type.MESSAGE, typeName: '.test.Synth.ItemsEntry' },
      { name: 'ports', label: Label.REPEATED, type: Type.MESSAGE, typeName: '.test.Synth.PortsEntry',
        opts: [[v.map_key, create(v.MapKeySpecSchema, { value: '1-65535' })]] },
    ], [
      { name: 'ItemsEntry', mapEntry: true, fields: [{ name: 'key' }, { name: 'value', type: Type.MESSAGE, typeName: '.test.Inner' }] },
      { name: 'PortsEntry', mapEntry: true, fields: [{ name: 'key', type: Type.INT32 }, { name: 'value' }] },
    ], [{ name: 'Inner', fields: [{ name: 'id', opts: [[v.required, true]] }] }]);
    assert.deepEqual(check(desc, { items: { a: { id: '1' } }, ports: { 22: 'ssh' } }), []);
    assert.deepEqual(check(desc, { items: { a: { id: '1' }, b: {} }, ports: { 0: 'x', 80: 'http' } }), [
      'items.b.id: Field is required', 'ports: key "0": Value must be in range 1-65535',
    ]);
  });

  it('throws at compile time on a malformed or misplaced option, naming option and field', () => {
    const bad: Array<[Omit<FieldInit, 'name'>, DescExtension, unknown, RegExp]> = [
      [{}, v.length, '<=5O', /Invalid \(length\) option "<=5O" on test\.Synth\.x$/],
      [{}, v.length, '9-1', /Invalid \(length\) option "9-1" on test\.Synth\.x/],
      [{}, v.pattern, '[a-z', /Invalid \(pattern\) option "\[a-z" on test\.Synth\.x: /],
      [{ type: Type.INT64 }, v.length, '<=5', /\(length\) applies to string values only, on test\.Synth\.x/],
      [{}, v.value, '0-5', /\(value\) applies to numeric values only, on test\.Synth\.x/],
      [{}, v.size, '<=5', /\(size\) needs a repeated or map field on test\.Synth\.x/],
      [{}, v.unique, true, /\(unique\) needs a repeated scalar or enum field on test\.Synth\.x/],
      [{}, v.map_key, create(v.MapKeySpecSchema, { length: '1-2' }), /\(map_key\) needs a map field on test\.Synth\.x/],
    ];
    for (const [field, ext, val, message] of bad) {
      const desc = synth([{ name: 'x', ...field, opts: [[ext, val]] }]);
      assert.throws(() => validateMessage(desc, create(desc)), message);
      assert.throws(() => validateMessage(desc, create(desc)), message, 'a failed compile is not cached');
    }
  });
});

describe('validation: every generated message compiles', () => {
  it('walks all file descriptors in src/gen', async () => {
    const genDir = new URL('../gen/', import.meta.url);
    const files: DescFile[] = [];
    for (const entry of await readdir(genDir, { recursive: true })) {
      if (!entry.endsWith('_pb.js')) continue;
      const mod = (await import(new URL(entry, genDir).href)) as Record<string, { kind?: string }>;
      for (const exp of Object.values(mod)) if (exp.kind === 'file') files.push(exp as DescFile);
    }
    const messages: DescMessage[] = [];
    const collect = (list: DescMessage[]): void => {
      for (const m of list) {
        messages.push(m);
        collect(m.nestedMessages);
      }
    };
    for (const file of files) collect(file.messages);
    assert.ok(files.some((f) => f.name === 'yandex/cloud/clouddesktop/v1/desktop_image_service'), 'found the generated files');
    assert.ok(messages.length > 40, `found ${messages.length} messages`);
    for (const m of messages) assert.doesNotThrow(() => validateMessage(m, create(m)), `compiling ${m.typeName}`);
  });
});
