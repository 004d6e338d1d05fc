import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkQcow2Extent, isQcow2, parseQcow2Header } from './qcow2.js';
import { buildQcow2 } from './qcow2-fixture.js';

/** A fresh valid image with one header field changed through DataView. */
function withField(set: (dv: DataView) => void, opts: Parameters<typeof buildQcow2>[0] = {}): Uint8Array {
  const img = buildQcow2(opts);
  set(new DataView(img.buffer));
  return img;
}

function rejects(buf: Uint8Array, description: string | RegExp): void {
  assert.throws(() => parseQcow2Header(buf), (err: Error & { violations?: unknown }) => {
    assert.equal(err.name, 'InvalidArgumentError');
    const [v] = err.violations as { field: string; description: string }[];
    assert.equal(v!.field, 'uri');
    if (typeof description === 'string') assert.equal(v!.description, description);
    else assert.match(v!.description, description);
    return true;
  });
}

describe('parseQcow2Header', () => {
  it('reads a version 3 header', () => {
    const h = parseQcow2Header(buildQcow2({ virtualSize: 10n << 30n }).subarray(0, 104));
    assert.deepEqual(h, {
      version: 3, clusterBits: 16, clusterSize: 65536, size: 10n << 30n, l1Size: 20, l1TableOffset: 3 * 65536,
      refcountTableOffset: 65536, refcountTableClusters: 1, refcountOrder: 4, nbSnapshots: 0, snapshotsOffset: 0,
      headerLength: 104, extendedL2: false,
    });
  });

  it('reads a version 2 header from its 72 bytes', () => {
    const h = parseQcow2Header(buildQcow2({ version: 2, clusterBits: 9 }).subarray(0, 72));
    assert.equal(h.version, 2);
    assert.equal(h.clusterSize, 512);
    assert.equal(h.headerLength, 72);
    assert.equal(h.size, 1n << 20n);
  });

  it('reads the virtual size as a full 64-bit value', () => {
    const set = (dv: DataView) => {
      dv.setBigUint64(24, (1n << 53n) + 1n);
      dv.setUint32(36, 2 ** 14 + 1); // 2 MiB clusters: each L1 entry maps 2^39 bytes
    };
    const h = parseQcow2Header(withField(set, { clusterBits: 21 }).subarray(0, 104));
    assert.equal(h.size, (1n << 53n) + 1n); // a Number would round this
  });

  it('checks the virtual size against a maximum before the tables', () => {
    const img = withField((dv) => dv.setBigUint64(24, 1n << 62n)); // its L1 table is far too small for that
    rejects(img.subarray(0, 104), 'qcow2 L1 table of 1 entries is too small for virtual size 4611686018427387904');
    assert.throws(() => parseQcow2Header(img, { maxVirtualSize: 4n << 40n }), {
      message: 'Request validation error: uri: qcow2 virtual size 4611686018427387904 exceeds the maximum 4398046511104',
    });
  });

  it('rejects a header cut short', () => {
    const img = buildQcow2();
    rejects(img.subarray(0, 3), 'qcow2 header is truncated (3 of 72 bytes)');
    rejects(img.subarray(0, 50), 'qcow2 header is truncated (50 of 104 bytes)');
    rejects(buildQcow2({ version: 2 }).subarray(0, 71), 'qcow2 header is truncated (71 of 72 bytes)');
  });

  it('rejects a bad magic or version', () => {
    rejects(withField((dv) => dv.setUint8(3, 0xfa)), 'not a qcow2 image (bad magic)');
    rejects(withField((dv) => dv.setUint32(4, 1)), 'unsupported qcow2 version 1 (expected 2 or 3)');
    rejects(withField((dv) => dv.setUint32(4, 4)), 'unsupported qcow2 version 4 (expected 2 or 3)');
  });

  it('rejects cluster_bits outside 9..21', () => {
    rejects(withField((dv) => dv.setUint32(20, 8)), 'qcow2 cluster_bits 8 is out of range 9..21');
    rejects(withField((dv) => dv.setUint32(20, 22)), 'qcow2 cluster_bits 22 is out of range 9..21');
  });

  it('rejects what it cannot boot: backing file, encryption, external data, corrupt flag, unknown features', () => {
    rejects(withField((dv) => dv.setBigUint64(8, 4096n)), 'qcow2 images with a backing file are not supported');
    rejects(withField((dv) => dv.setUint32(32, 1)), 'encrypted qcow2 images are not supported');
    rejects(withField((dv) => dv.setBigUint64(72, 4n)), 'qcow2 images with an external data file are not supported');
    rejects(withField((dv) => dv.setBigUint64(72, 2n)), 'qcow2 image is marked corrupt');
    rejects(withField((dv) => dv.setBigUint64(72, 1n << 40n)), 'qcow2 image uses unknown incompatible features 0x10000000000');
    assert.equal(parseQcow2Header(withField((dv) => dv.setBigUint64(72, 1n))).version, 3); // dirty is fine
  });

  it('rejects a bad header_length or refcount_order', () => {
    rejects(withField((dv) => dv.setUint32(100, 100)), 'qcow2 header_length 100 is invalid');
    rejects(withField((dv) => dv.setUint32(100, 1028), { clusterBits: 10 }), 'qcow2 header_length 1028 is invalid');
    rejects(withField((dv) => dv.setUint32(100, 1032), { clusterBits: 10 }), 'qcow2 header_length 1032 exceeds the cluster size 1024');
    rejects(withField((dv) => dv.setUint32(96, 7)), 'qcow2 refcount_order 7 is out of range 0..6');
  });

  it('rejects L1 and refcount tables that are misplaced or the wrong size', () => {
    rejects(withField((dv) => dv.setUint32(36, 0), { virtualSize: 1n << 30n }), 'qcow2 L1 table of 0 entries is too small for virtual size 1073741824');
    rejects(withField((dv) => dv.setUint32(36, 5_000_000)), 'qcow2 L1 table of 5000000 entries is too large');
    rejects(withField((dv) => dv.setBigUint64(40, 65536n + 512n)), 'qcow2 L1 table offset 66048 is invalid');
    rejects(withField((dv) => dv.setBigUint64(40, 0n)), 'qcow2 L1 table offset 0 is invalid');
    rejects(withField((dv) => dv.setUint32(56, 0)), 'qcow2 image has no refcount table');
    rejects(withField((dv) => dv.setUint32(56, 1000)), 'qcow2 refcount table is too large');
    rejects(withField((dv) => dv.setBigUint64(48, 1n << 60n)), `qcow2 refcount table offset ${1n << 60n} is invalid`);
  });
});

describe('isQcow2', () => {
  it('looks at the magic only', () => {
    assert.equal(isQcow2(Uint8Array.of(0x51, 0x46, 0x49, 0xfb)), true);
    assert.equal(isQcow2(Buffer.from('QFI\xfb', 'latin1')), true);
    assert.equal(isQcow2(Buffer.from('QFI')), false);
    assert.equal(isQcow2(Buffer.from('\x7fELF')), false);
  });
});

describe('checkQcow2Extent', () => {
  const img = buildQcow2({ data: Buffer.alloc(100, 1) });
  const h = parseQcow2Header(img);

  it('accepts an image whose tables are inside the file', () => {
    checkQcow2Extent(h, img.length);
  });

  it('reports the first table that lies beyond the end of the file', () => {
    assert.throws(() => checkQcow2Extent(h, 100), /qcow2 header is truncated \(100 of 104 bytes\)/);
    assert.throws(() => checkQcow2Extent(h, 3 * 65536 + 4), /uri: qcow2 image is truncated: its L1 table ends at byte 196616, beyond the end of the file \(196612 bytes\)/);
    const late = { ...h, refcountTableOffset: 6 * 65536 };
    assert.throws(() => checkQcow2Extent(late, img.length), /its refcount table ends at byte 458752, beyond the end of the file \(393216 bytes\)/);
    assert.throws(() => checkQcow2Extent({ ...h, nbSnapshots: 1, snapshotsOffset: img.length }, img.length), /its snapshot table starts at byte 393216, beyond/);
  });
});
