/**
 * Builds small, valid qcow2 images in memory for tests, laid out the way `qemu-img convert`
 * does: header, refcount table, refcount block, L1 table, one L2 table, data clusters.
 *
 *   const img = buildQcow2({ virtualSize: 1n << 30n, data: Buffer.from('boot sector') });
 *   new DataView(img.buffer).setUint32(20, 8); // then break a field on purpose
 */
import { QCOW2_MAGIC, QCOW2_V3_HEADER } from './qcow2.js';

export interface Qcow2Fixture {
  version?: 2 | 3;
  clusterBits?: number;
  virtualSize?: bigint;
  /** Guest bytes stored from guest offset 0; at most one L2 table's worth. */
  data?: Uint8Array;
}

/** Offsets of the parts of a built image, for tests that damage one of them. */
export interface Qcow2Layout {
  clusterSize: number;
  refcountTableOffset: number;
  l1TableOffset: number;
  l2TableOffset: number;
  dataOffset: number;
}

const COPIED = 1n << 63n;

export function buildQcow2(opts: Qcow2Fixture = {}): Uint8Array {
  return buildQcow2WithLayout(opts).image;
}

export function buildQcow2WithLayout(opts: Qcow2Fixture = {}): { image: Uint8Array; layout: Qcow2Layout } {
  const version = opts.version ?? 3;
  const clusterBits = opts.clusterBits ?? 16;
  const cs = 2 ** clusterBits;
  const virtualSize = opts.virtualSize ?? 1n << 20n;
  const data = opts.data ?? new Uint8Array(0);
  const perL2 = BigInt(cs) * BigInt(cs / 8);
  const l1Size = Number((virtualSize + perL2 - 1n) / perL2);
  const l1Clusters = Math.max(1, Math.ceil((l1Size * 8) / cs));
  const dataClusters = Math.ceil(data.length / cs);
  if (dataClusters > cs / 8) throw new Error('fixture data does not fit one L2 table');

  const refcountTableOffset = cs;
  const l1TableOffset = 3 * cs;
  const l2TableOffset = l1TableOffset + l1Clusters * cs;
  const dataOffset = l2TableOffset + cs;
  const totalClusters = 3 + l1Clusters + (dataClusters > 0 ? 1 + dataClusters : 0);
  if (totalClusters > cs / 2) throw new Error('fixture needs more than one refcount block');

  const image = new Uint8Array(totalClusters * cs);
  const dv = new DataView(image.buffer);
  dv.setUint32(0, QCOW2_MAGIC);
  dv.setUint32(4, version);
  dv.setUint32(20, clusterBits);
  dv.setBigUint64(24, virtualSize);
  dv.setUint32(36, l1Size);
  dv.setBigUint64(40, BigInt(l1TableOffset));
  dv.setBigUint64(48, BigInt(refcountTableOffset));
  dv.setUint32(56, 1); // refcount_table_clusters
  if (version === 3) {
    dv.setUint32(96, 4); // refcount_order: 16-bit refcounts
    dv.setUint32(100, QCOW2_V3_HEADER);
  }
  // The header extension area after the header is all zero: an end-of-extensions marker.

  dv.setBigUint64(refcountTableOffset, BigInt(2 * cs)); // one refcount block, in cluster 2
  for (let i = 0; i < totalClusters; i++) dv.setUint16(2 * cs + 2 * i, 1);

  if (dataClusters > 0) {
    dv.setBigUint64(l1TableOffset, BigInt(l2TableOffset) | COPIED);
    for (let i = 0; i < dataClusters; i++) dv.setBigUint64(l2TableOffset + 8 * i, BigInt(dataOffset + i * cs) | COPIED);
    image.set(data, dataOffset);
  }
  return { image, layout: { clusterSize: cs, refcountTableOffset, l1TableOffset, l2TableOffset, dataOffset } };
}
