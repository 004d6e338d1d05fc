/** Spliced and reused encodings are the encodings protobuf-es writes. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { create, fromBinary, toBinary, toJson, type DescMessage, type Message } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { DesktopImageSchema, DesktopImage_Status, type DesktopImage } from '../gen/yandex/cloud/clouddesktop/v1/desktop_image_pb.js';
import { ListDesktopImagesResponseSchema } from '../gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { encodeBinary, jsonEncoder } from './encoded.js';

function image(n: number, frozen: boolean): DesktopImage {
  const msg = create(DesktopImageSchema, {
    id: `e3v${n}`,
    folderId: 'f',
    createdAt: timestampFromDate(new Date(Date.UTC(2026, 0, 1, 0, 0, n, 123))),
    status: DesktopImage_Status.ACTIVE,
    name: `image-${n}`,
    labels: n % 2 ? { env: 'prod', n: String(n) } : {},
    storageSize: BigInt(n) * 1_000_000_000_000n,
    minDiskSize: 1n << 40n,
    description: n % 3 ? 'ünïcødé "quoted"' : '',
  });
  if (frozen) {
    Object.freeze(msg.createdAt);
    Object.freeze(msg.labels);
    Object.freeze(msg);
  }
  return msg;
}

function page(items: DesktopImage[], nextPageToken: string) {
  return create(ListDesktopImagesResponseSchema, { desktopImages: items, nextPageToken });
}

const plainJson = (schema: DescMessage, msg: Message) => JSON.stringify(toJson(schema, msg as never));

describe('encoded answers', () => {
  const cases = {
    'all frozen': [0, 1, 2, 3, 200].map((n) => image(n, true)),
    'frozen and not': [0, 1, 2, 3].map((n) => image(n, n % 2 === 0)),
    'none frozen': [5, 6].map((n) => image(n, false)),
    'empty': [],
  };

  for (const [name, items] of Object.entries(cases)) {
    for (const token of ['', 'next-token']) {
      it(`a page (${name}, ${token ? 'with' : 'without'} a token) decodes to the same message`, () => {
        const msg = page(items, token);
        const bytes = encodeBinary(ListDesktopImagesResponseSchema, msg);
        assert.deepEqual(fromBinary(ListDesktopImagesResponseSchema, bytes), fromBinary(ListDesktopImagesResponseSchema, toBinary(ListDesktopImagesResponseSchema, msg)));
        const json = jsonEncoder(plainJson)(ListDesktopImagesResponseSchema, msg);
        assert.deepEqual(JSON.parse(String(json)), toJson(ListDesktopImagesResponseSchema, msg));
      });
    }
  }

  it('writes a frozen message once per encoder, and the same bytes every time', () => {
    const msg = image(7, true);
    let writes = 0;
    const json = jsonEncoder((schema, m) => {
      writes += 1;
      return plainJson(schema, m);
    });
    const first = json(DesktopImageSchema, msg);
    assert.equal(json(DesktopImageSchema, msg), first);
    json(ListDesktopImagesResponseSchema, page([msg, msg], ''));
    assert.equal(writes, 2, 'the image once, and the rest of the page once');
    assert.equal(encodeBinary(DesktopImageSchema, msg), encodeBinary(DesktopImageSchema, msg));
    assert.deepEqual(encodeBinary(DesktopImageSchema, msg), toBinary(DesktopImageSchema, msg));
  });

  it('answers a frozen page with the same UTF-8 bytes every time, and its items still as text', () => {
    const items = [1, 2, 3].map((n) => image(n, true));
    const msg = Object.freeze(page(items, 'next-token'));
    Object.freeze(msg.desktopImages);
    const json = jsonEncoder(plainJson);
    const first = json(ListDesktopImagesResponseSchema, msg);
    assert.ok(Buffer.isBuffer(first), 'a frozen page is kept as bytes');
    assert.equal(json(ListDesktopImagesResponseSchema, msg), first);
    assert.deepEqual(JSON.parse(first.toString('utf8')), toJson(ListDesktopImagesResponseSchema, msg));
    assert.match(first.toString('utf8'), /ünïcødé/, 'non-ASCII text is written as UTF-8');
    const item = json(DesktopImageSchema, items[0]!);
    assert.equal(typeof item, 'string');
    assert.deepEqual(JSON.parse(item as string), toJson(DesktopImageSchema, items[0]!));
    const unfrozen = page(items, 'next-token');
    assert.equal(typeof json(ListDesktopImagesResponseSchema, unfrozen), 'string', 'a page that can change is written afresh');
  });

  it('encodes a message that is not frozen afresh each time, so a change shows', () => {
    const msg = image(8, false);
    const before = encodeBinary(DesktopImageSchema, msg);
    msg.name = 'renamed';
    const after = fromBinary(DesktopImageSchema, encodeBinary(DesktopImageSchema, msg));
    assert.equal(after.name, 'renamed');
    assert.notDeepEqual(before, encodeBinary(DesktopImageSchema, msg));
  });

  it('splices lengths that need more than one varint byte', () => {
    const big = create(DesktopImageSchema, { id: 'e3vbig', description: 'x'.repeat(70_000) });
    Object.freeze(big);
    const msg = page([big, image(1, true)], 't');
    assert.deepEqual(fromBinary(ListDesktopImagesResponseSchema, encodeBinary(ListDesktopImagesResponseSchema, msg)), fromBinary(ListDesktopImagesResponseSchema, toBinary(ListDesktopImagesResponseSchema, msg)));
  });
});
