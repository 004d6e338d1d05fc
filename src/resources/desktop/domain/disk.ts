/**
 * A desktop's disk: a copy-on-write record over the bytes of the image it was made from. The
 * boot disk starts as its image (`baseSha256`); what the machine writes is the runtime's
 * business (an overlay file for QEMU, nothing for the simulated runtime), summarised by
 * `overlaySha256` when a runtime keeps it as a blob. Disks hold blob references, so the bytes
 * under a disk live as long as the disk (docs/decisions.md point 19).
 */
import type { DiskType } from '../../desktop-group/domain/desktop-group.js';

export type DiskRole = 'boot' | 'data';

export interface Disk {
  id: string;
  desktopId: string;
  role: DiskRole;
  type: DiskType;
  /** Bytes. */
  size: number;
  /** The image bytes under the boot disk; null for a data disk (it starts empty). */
  baseSha256: string | null;
  /** storage_size and min_disk_size of the image under it, for a capture of an unchanged disk. */
  baseStorageSize: number;
  baseMinDiskSize: number;
  /** What the machine wrote, when the runtime keeps it as a blob; null: nothing kept. */
  overlaySha256: string | null;
  createdAt: Date;
}

export interface DiskRepo {
  ofDesktop(desktopId: string): Promise<Disk[]>;
  insert(disk: Disk): Promise<void>;
  update(disk: Disk): Promise<boolean>;
  deleteOfDesktop(desktopId: string): Promise<number>;
}

declare module '../../../domain/store.js' {
  interface Repos {
    desktopDisks: DiskRepo;
  }
}
