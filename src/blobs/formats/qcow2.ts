/**
 * The qcow2 header (https://qemu-project.gitlab.io/qemu/interop/qcow2.html), checked as strictly
 * as qemu opens it, so that an image accepted here also boots. All fields are big-endian.
 *
 *   if (isQcow2(head)) {
 *     const h = parseQcow2Header(head, { maxVirtualSize }); // the first 104 bytes (72 for version 2)
 *     ...stream the rest...
 *     checkQcow2Extent(h, fileSize);           // tables must lie inside the file
 *   }
 *
 * Errors are InvalidArgumentError on `uri`, the field the image came from.
 */
import { InvalidArgumentError } from '../../domain/errors.js';

export const QCOW2_MAGIC = 0x514649fb; // "QFI\xfb"
export const QCOW2_V2_HEADER = 72;
export const QCOW2_V3_HEADER = 104;

// Limits qemu enforces on open (block/qcow2.h).
const MAX_L1_BYTES = 32 * 1024 * 1024;
const MAX_REFTABLE_BYTES = 8 * 1024 * 1024;
const MAX_SNAPSHOTS = 65536;
// Incompatible feature bits: 0 dirty, 1 corrupt, 2 external data file, 3 compression type, 4 extended L2.
const INCOMPAT_CORRUPT = 1n << 1n;
const INCOMPAT_DATA_FILE = 1n << 2n;
const INCOMPAT_EXTENDED_L2 = 1n << 4n;
const INCOMPAT_KNOWN = 0x1fn;

export interface Qcow2Header {
  version: 2 | 3;
  clusterBits: number;
  clusterSize: number;
  /** Virtual disk size in bytes. */
  size: bigint;
  l1Size: number;
  l1TableOffset: number;
  refcountTableOffset: number;
  refcountTableClusters: number;
  refcountOrder: number;
  nbSnapshots: number;
  snapshotsOffset: number;
  headerLength: number;
  /** L2 entries are 16 bytes instead of 8 (subclusters). */
  extendedL2: boolean;
}

export function qcow2Error(description: string): InvalidArgumentError {
  return InvalidArgumentError.field('uri', description);
}

export function isQcow2(first4: Uint8Array): boolean {
  return first4.length >= 4 && view(first4).getUint32(0) === QCOW2_MAGIC;
}

export interface Qcow2Limits {
  /** Checked before the tables, so an oversized image gets this message rather than a table error. */
  maxVirtualSize?: bigint;
}

export function parseQcow2Header(buf: Uint8Array, limits: Qcow2Limits = {}): Qcow2Header {
  if (buf.length >= 4 && !isQcow2(buf)) throw qcow2Error('not a qcow2 image (bad magic)');
  if (buf.length < 8) throw truncated(buf.length, QCOW2_V2_HEADER);
  const dv = view(buf);
  const version = dv.getUint32(4);
  if (version !== 2 && version !== 3) throw qcow2Error(`unsupported qcow2 version ${version} (expected 2 or 3)`);
  const minLength = version === 2 ? QCOW2_V2_HEADER : QCOW2_V3_HEADER;
  if (buf.length < minLength) throw truncated(buf.length, minLength);
  const size = dv.getBigUint64(24);
  if (limits.maxVirtualSize !== undefined && size > limits.maxVirtualSize) {
    throw qcow2Error(`qcow2 virtual size ${size} exceeds the maximum ${limits.maxVirtualSize}`);
  }

  if (dv.getBigUint64(8) !== 0n) throw qcow2Error('qcow2 images with a backing file are not supported');
  const clusterBits = dv.getUint32(20);
  if (clusterBits < 9 || clusterBits > 21) throw qcow2Error(`qcow2 cluster_bits ${clusterBits} is out of range 9..21`);
  const clusterSize = 2 ** clusterBits;
  if (dv.getUint32(32) !== 0) throw qcow2Error('encrypted qcow2 images are not supported');

  let headerLength = QCOW2_V2_HEADER;
  let refcountOrder = 4;
  let incompatible = 0n;
  if (version === 3) {
    incompatible = dv.getBigUint64(72);
    refcountOrder = dv.getUint32(96);
    headerLength = dv.getUint32(100);
    if (headerLength < QCOW2_V3_HEADER || headerLength % 8 !== 0) throw qcow2Error(`qcow2 header_length ${headerLength} is invalid`);
    if (headerLength > clusterSize) throw qcow2Error(`qcow2 header_length ${headerLength} exceeds the cluster size ${clusterSize}`);
    if (incompatible & INCOMPAT_CORRUPT) throw qcow2Error('qcow2 image is marked corrupt');
    if (incompatible & INCOMPAT_DATA_FILE) throw qcow2Error('qcow2 images with an external data file are not supported');
    const unknown = incompatible & ~INCOMPAT_KNOWN;
    if (unknown) throw qcow2Error(`qcow2 image uses unknown incompatible features 0x${unknown.toString(16)}`);
    if (refcountOrder > 6) throw qcow2Error(`qcow2 refcount_order ${refcountOrder} is out of range 0..6`);
  }
  const extendedL2 = (incompatible & INCOMPAT_EXTENDED_L2) !== 0n;

  const l1Size = dv.getUint32(36);
  if (l1Size * 8 > MAX_L1_BYTES) throw qcow2Error(`qcow2 L1 table of ${l1Size} entries is too large`);
  const bytesPerL1Entry = BigInt(clusterSize) * BigInt(clusterSize / (extendedL2 ? 16 : 8));
  const l1Needed = (size + bytesPerL1Entry - 1n) / bytesPerL1Entry;
  if (BigInt(l1Size) < l1Needed) throw qcow2Error(`qcow2 L1 table of ${l1Size} entries is too small for virtual size ${size}`);
  const l1TableOffset = tableOffset(dv.getBigUint64(40), clusterSize, 'L1 table', l1Size > 0);

  const refcountTableClusters = dv.getUint32(56);
  if (refcountTableClusters === 0) throw qcow2Error('qcow2 image has no refcount table');
  if (refcountTableClusters * clusterSize > MAX_REFTABLE_BYTES) throw qcow2Error('qcow2 refcount table is too large');
  const refcountTableOffset = tableOffset(dv.getBigUint64(48), clusterSize, 'refcount table', true);

  const nbSnapshots = dv.getUint32(60);
  if (nbSnapshots > MAX_SNAPSHOTS) throw qcow2Error(`qcow2 image has too many snapshots (${nbSnapshots})`);
  const snapshotsOffset = tableOffset(dv.getBigUint64(64), clusterSize, 'snapshot table', nbSnapshots > 0);

  return {
    version, clusterBits, clusterSize, size, l1Size, l1TableOffset, refcountTableOffset, refcountTableClusters,
    refcountOrder, nbSnapshots, snapshotsOffset, headerLength, extendedL2,
  };
}

/** Checks, once the file size is known, that the header and the tables it points to are inside the file. */
export function checkQcow2Extent(h: Qcow2Header, fileSize: number): void {
  if (fileSize < h.headerLength) throw truncated(fileSize, h.headerLength);
  const beyond = (what: string, end: number) => truncatedAt(`its ${what} ends`, end, fileSize);
  const l1End = h.l1TableOffset + h.l1Size * 8;
  if (h.l1Size > 0 && l1End > fileSize) throw beyond('L1 table', l1End);
  const refcountEnd = h.refcountTableOffset + h.refcountTableClusters * h.clusterSize;
  if (refcountEnd > fileSize) throw beyond('refcount table', refcountEnd);
  if (h.nbSnapshots > 0 && h.snapshotsOffset >= fileSize) throw truncatedAt('its snapshot table starts', h.snapshotsOffset, fileSize);
}

/** A table offset must be cluster aligned (as qemu checks even for an empty table) and, if used, past the header. */
function tableOffset(offset: bigint, clusterSize: number, what: string, used: boolean): number {
  const misplaced = used && offset === 0n;
  if (misplaced || offset % BigInt(clusterSize) !== 0n || offset > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw qcow2Error(`qcow2 ${what} offset ${offset} is invalid`);
  }
  return Number(offset);
}

/** The error for a part of the image that the file does not contain. */
export function truncatedAt(what: string, byte: number, fileSize: number): InvalidArgumentError {
  return qcow2Error(`qcow2 image is truncated: ${what} at byte ${byte}, beyond the end of the file (${fileSize} bytes)`);
}

function truncated(have: number, need: number): InvalidArgumentError {
  return qcow2Error(`qcow2 header is truncated (${have} of ${need} bytes)`);
}

function view(buf: Uint8Array): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}
