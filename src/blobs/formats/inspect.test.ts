import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ImageInspector } from './inspect.js';
import { buildQcow2 } from './qcow2-fixture.js';

const MAX = 4n << 40n;

function inspect(bytes: Uint8Array, step = 65536, max = MAX) {
  const inspector = new ImageInspector(max);
  for (let i = 0; i < bytes.length; i += step) inspector.feed(bytes.subarray(i, i + step));
  return inspector.finish(bytes.length);
}

describe('ImageInspector', () => {
  it('takes anything without the qcow2 magic as raw, sized by its length', () => {
    assert.deepEqual(inspect(Buffer.from('hello raw disk')), { format: 'raw', virtualSize: 14n });
    assert.deepEqual(inspect(Buffer.from('QF')), { format: 'raw', virtualSize: 2n });
  });

  it('reads a qcow2 virtual size, however the bytes are split', () => {
    const img = buildQcow2({ clusterBits: 12, virtualSize: 3n << 30n, data: Buffer.alloc(6000, 1) });
    for (const step of [1, 3, 5, 4096]) assert.deepEqual(inspect(img, step), { format: 'qcow2', virtualSize: 3n << 30n });
  });

  it('rejects an empty image', () => {
    assert.throws(() => inspect(new Uint8Array(0)), { name: 'InvalidArgumentError', message: 'Request validation error: uri: image is empty' });
  });

  it('rejects a qcow2 virtual size above the maximum as soon as the header arrives', () => {
    const img = buildQcow2({ virtualSize: (4n << 40n) + 512n });
    const inspector = new ImageInspector(MAX);
    assert.throws(() => inspector.feed(img.subarray(0, 104)), {
      message: 'Request validation error: uri: qcow2 virtual size 4398046511616 exceeds the maximum 4398046511104',
    });
  });

  it('rejects a raw image above the maximum virtual size', () => {
    assert.throws(() => inspect(Buffer.from('12345'), 65536, 4n), /uri: image size 5 exceeds the maximum 4/);
  });

  it('rejects a file that starts like qcow2 but is not one', () => {
    assert.throws(() => inspect(Buffer.from('QFI\xfb\0\0\0\x03', 'latin1')), /qcow2 header is truncated \(8 of 104 bytes\)/);
  });
});
