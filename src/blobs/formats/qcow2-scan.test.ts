import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Qcow2Scanner } from './qcow2-scan.js';
import { buildQcow2WithLayout } from './qcow2-fixture.js';

/** Feeds `img` in chunks of `step` bytes and returns the header `finish` gives. */
function scan(img: Uint8Array, step = 4096) {
  const s = new Qcow2Scanner();
  for (let i = 0; i < img.length; i += step) s.feed(img.subarray(i, i + step));
  return s.finish(img.length);
}

// 512-byte clusters keep images small: data clusters 6.. hold three clusters of guest data.
const { image, layout } = buildQcow2WithLayout({ clusterBits: 9, virtualSize: 1n << 20n, data: Buffer.alloc(3 * 512, 7) });
const setU64 = (img: Uint8Array, at: number, v: bigint) => new DataView(img.buffer, img.byteOffset).setBigUint64(at, v);

describe('Qcow2Scanner', () => {
  it('accepts a valid image fed in chunks of any size', () => {
    for (const step of [1, 7, 100, 512, 4096, image.length]) assert.equal(scan(image, step).size, 1n << 20n);
  });

  it('knows the header once its bytes went past', () => {
    const s = new Qcow2Scanner();
    s.feed(image.subarray(0, 103));
    assert.equal(s.header, undefined);
    s.feed(image.subarray(103, 104));
    assert.equal(s.header!.clusterSize, 512);
  });

  it('reports a file cut inside the header, the L1 table or an L2 table', () => {
    assert.throws(() => scan(image.subarray(0, 90)), /qcow2 header is truncated \(90 of 104 bytes\)/);
    assert.throws(() => scan(image.subarray(0, layout.l1TableOffset + 4)), /its L1 table ends at byte \d+, beyond the end/);
    assert.throws(() => scan(image.subarray(0, layout.l2TableOffset + 100)), /an L2 table ends at byte 2560, beyond the end of the file \(2148 bytes\)/);
  });

  it('reports a file that lost its last data clusters', () => {
    const cut = layout.dataOffset + 512;
    assert.throws(() => scan(image.subarray(0, cut)), new RegExp(`a data cluster starts at byte ${cut + 512}, beyond the end of the file \\(${cut} bytes\\)`));
  });

  it('accepts a last data cluster partly in the file, as qemu-img check does', () => {
    assert.equal(scan(image.subarray(0, image.length - 100)).version, 3);
  });

  it('reports entries pointing past the end or between clusters', () => {
    const far = image.slice();
    setU64(far, layout.l2TableOffset + 8, 1n << 40n);
    assert.throws(() => scan(far), /a data cluster starts at byte 1099511627776/);

    const compressed = image.slice();
    setU64(compressed, layout.l2TableOffset + 8, (1n << 62n) | BigInt(image.length + 10));
    assert.throws(() => scan(compressed), /a data cluster starts at byte/);

    // With 4 KiB clusters an offset can be 512-aligned (the low 9 bits are flags) yet inside a cluster.
    const big = buildQcow2WithLayout({ clusterBits: 12, data: Buffer.alloc(5000, 1) });
    const unalignedL2 = big.image.slice();
    setU64(unalignedL2, big.layout.l2TableOffset, BigInt(big.layout.dataOffset + 1024));
    assert.throws(() => scan(unalignedL2), /qcow2 L2 entry points to an unaligned data cluster/);

    const unalignedL1 = big.image.slice();
    setU64(unalignedL1, big.layout.l1TableOffset, BigInt(big.layout.l2TableOffset + 1024));
    assert.throws(() => scan(unalignedL1), /qcow2 L1 entry 0 points to an unaligned L2 table/);
  });

  it('accepts a compressed cluster inside the file', () => {
    const img = image.slice();
    setU64(img, layout.l2TableOffset + 8, (1n << 62n) | BigInt(layout.dataOffset + 700));
    assert.equal(scan(img).size, 1n << 20n);
  });

  it('checks only the position of an L2 table stored before the L1 table', () => {
    // Move the L1 table to a new cluster at the end: the L2 table now streams past unread.
    const moved = new Uint8Array(image.length + 512);
    moved.set(image);
    moved.copyWithin(image.length, layout.l1TableOffset, layout.l1TableOffset + 512);
    setU64(moved, 40, BigInt(image.length));
    assert.equal(scan(moved, 64).size, 1n << 20n);
    setU64(moved, image.length, BigInt(moved.length + 512));
    assert.throws(() => scan(moved), /an L2 table ends at byte 5632, beyond the end of the file \(4608 bytes\)/);
  });
});
