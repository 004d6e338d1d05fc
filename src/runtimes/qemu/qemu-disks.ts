/**
 * A desktop's disks as qcow2 files in its directory: the boot disk is an overlay whose backing
 * file is the image's blob, with the backing format always given (`-F`), so untrusted image
 * bytes are never probed; the data disk is an empty qcow2. QEMU opens backing files read-only,
 * so a blob is never modified. A capture flattens overlay and base with `qemu-img convert`
 * into a file that the importer brings into the blob store (hash, format, sizes checked).
 *
 *   const disks = new QemuDisks(tools, images, importer, tmpDir);
 *   await disks.makeBoot(path, image, size, signal);
 *   const captured = await disks.capture(path, baseSha256, signal);
 */
import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageImporter } from '../../domain/blobs/image-importer.js';
import type { Capture } from '../../resources/desktop/domain/runtime.js';
import { qemuImg, type QemuTools } from './qemu-tools.js';
import type { BaseImages } from './base-images.js';

export class QemuDisks {
  constructor(
    private readonly tools: QemuTools,
    private readonly images: BaseImages,
    private readonly importer: ImageImporter,
    private readonly tmpDir: string,
  ) {}

  /** A fresh overlay over `baseSha256` (an empty disk without one), replacing `path` atomically. */
  async makeBoot(path: string, baseSha256: string | null, size: number, signal: AbortSignal): Promise<void> {
    const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const backing = baseSha256 ? await this.images.localFile(baseSha256, signal) : null;
      const args = backing ? ['-b', backing.path, '-F', backing.format] : [];
      await qemuImg(this.tools, ['create', '-q', '-f', 'qcow2', ...args, tmp, String(size)], signal);
      await rename(tmp, path);
    } finally {
      await rm(tmp, { force: true });
    }
  }

  async makeEmpty(path: string, size: number, signal: AbortSignal): Promise<void> {
    await this.makeBoot(path, null, size, signal);
  }

  /** Makes sure an overlay's backing file is present (remote blobs may have left the cache). */
  async ensureBase(baseSha256: string | null, signal?: AbortSignal): Promise<void> {
    if (baseSha256) await this.images.localFile(baseSha256, signal);
  }

  /** Whether the machine wrote to the overlay: clusters allocated in the overlay itself. */
  async written(path: string, signal: AbortSignal): Promise<boolean> {
    const out = JSON.parse(await qemuImg(this.tools, ['check', '-f', 'qcow2', '--output=json', path], signal)) as Record<string, unknown>;
    return Number(out['allocated-clusters'] ?? 0) > 0;
  }

  /** The disk as image bytes: unchanged shares the base blob, else a new qcow2 blob. */
  async capture(path: string, baseSha256: string | null, signal: AbortSignal): Promise<Capture> {
    await this.ensureBase(baseSha256, signal);
    if (!(await this.written(path, signal))) return { kind: 'unchanged' };
    const flat = join(this.tmpDir, `capture-${randomBytes(8).toString('hex')}.qcow2`);
    try {
      await qemuImg(this.tools, ['convert', '-q', '-f', 'qcow2', '-O', 'qcow2', path, flat], signal);
      const image = await this.importer.fromFile(flat);
      return { kind: 'blob', sha256: image.sha256, storageSize: image.size, minDiskSize: Number(image.virtualSize) };
    } finally {
      await rm(flat, { force: true });
    }
  }
}
