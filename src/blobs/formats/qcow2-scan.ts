/**
 * Validates a qcow2 image while it streams past, holding only its metadata in memory (the L1
 * table, at most 32 MiB, and one L2 table at a time). A file cut short keeps a valid header, so
 * truncation shows only when a table or a data cluster points past the end of the file.
 *
 *   const scan = new Qcow2Scanner({ maxVirtualSize });
 *   for await (const chunk of body) {
 *     scan.feed(chunk);                 // throws InvalidArgumentError on a bad header or table
 *     if (scan.header) ...              // known after the first 104 bytes
 *   }
 *   const header = scan.finish(total);  // throws if anything lies beyond `total` bytes
 *
 * A data cluster may run past the end of the file by less than a cluster (qemu reads the rest as
 * zeros), but must start inside it: the rule `qemu-img check` applies. L2 tables must be whole.
 * L2 tables stored before the L1 table cannot be read on the way past; only their position is
 * checked. Checked against images from qemu-img 7.2: v2, v3, 512 B and 2 MiB clusters,
 * compressed (zlib, zstd), extended L2, preallocated, with snapshots; each cut short fails.
 */
import { checkQcow2Extent, parseQcow2Header, qcow2Error, truncatedAt, QCOW2_V2_HEADER, QCOW2_V3_HEADER, type Qcow2Header, type Qcow2Limits } from './qcow2.js';

const TWO_32 = 2 ** 32;

export class Qcow2Scanner {
  header: Qcow2Header | undefined;
  private pos = 0;
  private readonly head = new Uint8Array(QCOW2_V3_HEADER);
  private headLen = 0;
  private l1: Uint8Array | undefined;
  private l1Filled = 0;
  /** Sorted offsets of the L2 tables, known once the L1 table has streamed past. */
  private l2Offsets: number[] | undefined;
  private scanFrom = 0;
  private nextL2 = 0;
  private l2: { offset: number; filled: number } | undefined;
  private l2Buf: Uint8Array | undefined;
  private maxL2End = 0;
  private maxDataOffset = -1;

  constructor(private readonly limits: Qcow2Limits = {}) {}

  feed(chunk: Uint8Array): void {
    const start = this.pos;
    this.pos += chunk.length;
    if (!this.header) this.readHeader(chunk);
    if (this.l1 && !this.l2Offsets) this.readL1(chunk, start);
    if (this.l2Offsets) this.readL2(chunk, start);
  }

  finish(fileSize: number): Qcow2Header {
    const h = this.header ?? parseQcow2Header(this.head.subarray(0, this.headLen), this.limits);
    checkQcow2Extent(h, fileSize);
    if (this.maxL2End > fileSize) throw truncatedAt('an L2 table ends', this.maxL2End, fileSize);
    if (this.maxDataOffset >= fileSize) throw truncatedAt('a data cluster starts', this.maxDataOffset, fileSize);
    return h;
  }

  private readHeader(chunk: Uint8Array): void {
    const n = Math.min(chunk.length, this.head.length - this.headLen);
    this.head.set(chunk.subarray(0, n), this.headLen);
    this.headLen += n;
    if (this.headLen < 8) return;
    const version = new DataView(this.head.buffer).getUint32(4);
    if (version === 2 ? this.headLen < QCOW2_V2_HEADER : version === 3 && this.headLen < QCOW2_V3_HEADER) return;
    const h = parseQcow2Header(this.head.subarray(0, this.headLen), this.limits);
    this.header = h;
    if (h.l1Size > 0) this.l1 = new Uint8Array(h.l1Size * 8);
    else this.l2Offsets = [];
  }

  private readL1(chunk: Uint8Array, start: number): void {
    const l1 = this.l1!;
    const base = this.header!.l1TableOffset;
    const from = Math.max(start, base + this.l1Filled);
    const to = Math.min(start + chunk.length, base + l1.length);
    if (to <= from) return;
    l1.set(chunk.subarray(from - start, to - start), from - base);
    this.l1Filled += to - from;
    if (this.l1Filled < l1.length) return;

    const cs = this.header!.clusterSize;
    const dv = new DataView(l1.buffer);
    const offsets = new Set<number>();
    for (let i = 0; i < l1.length; i += 8) {
      const offset = (dv.getUint32(i) & 0x00ffffff) * TWO_32 + ((dv.getUint32(i + 4) & 0xfffffe00) >>> 0);
      if (offset === 0) continue;
      if (offset % cs !== 0) throw qcow2Error(`qcow2 L1 entry ${i / 8} points to an unaligned L2 table`);
      offsets.add(offset);
    }
    this.l2Offsets = [...offsets].sort((a, b) => a - b);
    this.maxL2End = this.l2Offsets.length ? this.l2Offsets[this.l2Offsets.length - 1]! + cs : 0;
    this.scanFrom = base + l1.length;
    this.l1 = undefined;
  }

  private readL2(chunk: Uint8Array, start: number): void {
    const offsets = this.l2Offsets!;
    const cs = this.header!.clusterSize;
    const end = start + chunk.length;
    for (;;) {
      if (!this.l2) {
        while (this.nextL2 < offsets.length && offsets[this.nextL2]! < this.scanFrom) this.nextL2++; // went by unread
        if (this.nextL2 >= offsets.length || offsets[this.nextL2]! >= end) return;
        this.l2 = { offset: offsets[this.nextL2++]!, filled: 0 };
        this.l2Buf ??= new Uint8Array(cs);
      }
      const t = this.l2;
      const buf = this.l2Buf!;
      const from = Math.max(start, t.offset + t.filled);
      const to = Math.min(end, t.offset + cs);
      if (to > from) {
        buf.set(chunk.subarray(from - start, to - start), from - t.offset);
        t.filled += to - from;
      }
      if (t.filled < cs) return;
      this.scanL2(buf);
      this.l2 = undefined;
    }
  }

  /** Records the highest host offset any entry points to; qemu would read it on access. */
  private scanL2(buf: Uint8Array): void {
    const { clusterBits, clusterSize, extendedL2 } = this.header!;
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    // A compressed entry keeps its host offset in the low 62 - (cluster_bits - 8) bits.
    const compressedHiMask = 2 ** (62 - (clusterBits - 8) - 32) - 1;
    for (let i = 0; i < buf.length; i += extendedL2 ? 16 : 8) {
      const hi = dv.getUint32(i);
      const lo = dv.getUint32(i + 4);
      const compressed = (hi & 0x40000000) !== 0;
      const offset = compressed
        ? (hi & compressedHiMask) * TWO_32 + (lo >>> 0)
        : (hi & 0x00ffffff) * TWO_32 + ((lo & 0xfffffe00) >>> 0);
      if (offset === 0) continue;
      if (!compressed && offset % clusterSize !== 0) throw qcow2Error('qcow2 L2 entry points to an unaligned data cluster');
      if (offset > this.maxDataOffset) this.maxDataOffset = offset;
    }
  }
}
