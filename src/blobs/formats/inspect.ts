/**
 * Tells the format and virtual size of an image from its bytes as they stream past: qcow2 by its
 * magic, anything else raw (its virtual size is its length). Bad images fail as early as the bytes
 * show it, so a download stops at the header of an image that is too large.
 *
 *   const inspector = new ImageInspector(4n << 40n);
 *   for await (const chunk of body) inspector.feed(chunk);
 *   const { format, virtualSize } = inspector.finish(totalBytes);
 */
import { InvalidArgumentError } from '../../domain/errors.js';
import { isQcow2 } from './qcow2.js';
import { Qcow2Scanner } from './qcow2-scan.js';
import type { ImageFormat } from '../../domain/blobs/image-importer.js';


export interface ImageInfo {
  format: ImageFormat;
  /** Size of the disk the image describes, in bytes. */
  virtualSize: bigint;
}

export class ImageInspector {
  /** Chunks held back until the first 4 bytes decide the format. */
  private pending: Uint8Array[] | undefined = [];
  private pendingBytes = 0;
  private qcow2: Qcow2Scanner | undefined;

  constructor(private readonly maxVirtualSize: bigint) {}

  feed(chunk: Uint8Array): void {
    if (this.pending) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.pendingBytes >= 4) this.decide();
      return;
    }
    this.qcow2?.feed(chunk);
  }

  finish(fileSize: number): ImageInfo {
    if (fileSize === 0) throw InvalidArgumentError.field('uri', 'image is empty');
    if (this.pending) this.decide();
    if (this.qcow2) return { format: 'qcow2', virtualSize: this.qcow2.finish(fileSize).size };
    const size = BigInt(fileSize);
    if (size > this.maxVirtualSize) {
      throw InvalidArgumentError.field('uri', `image size ${size} exceeds the maximum ${this.maxVirtualSize}`);
    }
    return { format: 'raw', virtualSize: size };
  }

  private decide(): void {
    const chunks = this.pending ?? [];
    this.pending = undefined;
    const first4 = new Uint8Array(4);
    let n = 0;
    for (const c of chunks) {
      const take = Math.min(4 - n, c.length);
      first4.set(c.subarray(0, take), n);
      n += take;
      if (n === 4) break;
    }
    if (n === 4 && isQcow2(first4)) {
      this.qcow2 = new Qcow2Scanner({ maxVirtualSize: this.maxVirtualSize });
      for (const c of chunks) this.qcow2.feed(c);
    }
  }
}
