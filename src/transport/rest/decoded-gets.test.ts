import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { create, type Message } from '@bufbuild/protobuf';
import { ListDesktopImagesRequestSchema } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { InvalidArgumentError } from '../../domain/errors.js';
import { DecodedGets, MAX_KEPT_URL } from './decoded-gets.js';

const list = (folderId: string) => create(ListDesktopImagesRequestSchema, { folderId, pageSize: 100n });
/** As the gateway asks: the kept message, else a decoded one, kept. */
const through = (gets: DecodedGets, url: string, decode: () => Message) => gets.get(url) ?? gets.keep(url, decode());

describe('DecodedGets', () => {
  it('decodes a URL once and shares the message, frozen, with the calls after', () => {
    const gets = new DecodedGets();
    let decoded = 0;
    const decode = () => (decoded++, list('f1'));
    const first = through(gets, '/cloud-desktop/v1/images?folderId=f1', decode);
    const again = through(gets, '/cloud-desktop/v1/images?folderId=f1', decode);
    assert.equal(again, first);
    assert.equal(decoded, 1);
    assert.ok(Object.isFrozen(first));
    assert.throws(() => {
      (first as unknown as { folderId: string }).folderId = 'f2';
    }, TypeError);
    assert.notEqual(through(gets, '/cloud-desktop/v1/images?folderId=f2', () => list('f2')), first);
  });

  it('keeps no failure: a URL that does not decode throws every time', () => {
    const gets = new DecodedGets();
    let tries = 0;
    const bad = () => {
      tries++;
      throw InvalidArgumentError.field('page_size', 'Not an integer');
    };
    for (let i = 0; i < 2; i++) assert.throws(() => through(gets, '/cloud-desktop/v1/images?pageSize=x', bad), InvalidArgumentError);
    assert.equal(tries, 2);
    assert.equal(gets.size, 0);
  });

  it('is bounded: the oldest URL goes first, and long URLs are decoded each time and never kept', () => {
    const gets = new DecodedGets(3);
    for (const f of ['a', 'b', 'c', 'd']) through(gets, `/x?folderId=${f}`, () => list(f));
    assert.equal(gets.size, 3);
    let decoded = 0;
    through(gets, '/x?folderId=a', () => (decoded++, list('a')));
    assert.equal(decoded, 1, 'the oldest was dropped');
    const long = `/x?folderId=${'y'.repeat(MAX_KEPT_URL)}`;
    const one = through(gets, long, () => list('y'));
    assert.notEqual(through(gets, long, () => list('y')), one);
    assert.equal(Object.isFrozen(one), false);
  });
});
