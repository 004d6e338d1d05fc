/**
 * The steps every desktop job is made of, over the runtime port: make a desktop's disks from
 * its image and start it, re-image its boot disk (a running machine is stopped and started
 * around it), and tear it down. Runtime calls happen outside
 * transactions; their results (disk records, states) commit in the job's final transaction.
 *
 *   const disks = await machines.provision(desktop, group, signal);   // disks made, machine running
 *   await store.transact((tx) => machines.saveDisks(tx, disks));
 */
import type { Repos, Store } from '../../../domain/store.js';
import { FailedPreconditionError, NotFoundError } from '../../../domain/errors.js';
import type { DesktopGroup } from '../../desktop-group/domain/desktop-group.js';
import type { Desktop } from './desktop.js';
import type { Disk } from './disk.js';
import type { DesktopRuntime, DiskImage } from './runtime.js';

/**
 * A runtime step of a re-sync (Machines.resync) failed: the machine is off, and the desktop has `disks` over
 * `imageId` (the new image once its boot disk was made anew). `failure` is what the runtime threw.
 */
export class MachineDown extends Error {
  override readonly name = 'MachineDown';
  constructor(readonly failure: unknown, readonly disks: readonly Disk[], readonly imageId: string) {
    super(`desktop machine is off after a failed re-image: ${failure instanceof Error ? failure.message : String(failure)}`);
  }
}

export class Machines {
  constructor(private readonly store: Store, readonly runtime: DesktopRuntime) {}

  /** The image a desktop of the group is made from, as the runtime needs it. */
  async imageOf(imageId: string): Promise<DiskImage> {
    const image = await this.store.read((tx) => tx.desktopImages.get(imageId));
    if (!image) throw new NotFoundError(`Desktop image ${imageId} not found`);
    if (image.status !== 'ACTIVE') throw new FailedPreconditionError(`Desktop image ${imageId} is ${image.status}`);
    return { imageId: image.id, blobSha256: image.blobSha256, storageSize: image.storageSize, minDiskSize: image.minDiskSize };
  }

  /** New disks from the group's image, then the machine started. A repeat after a crash makes them anew. */
  async provision(desktop: Desktop, group: DesktopGroup, signal: AbortSignal): Promise<Disk[]> {
    const image = await this.imageOf(desktop.imageId);
    const disks = await this.runtime.createDisks(desktop, { image, boot: group.bootDisk, data: group.dataDisk }, signal);
    await this.runtime.start(desktop, disks, signal);
    return disks;
  }

  /**
   * The desktop brought in line with its group: the boot disk made anew from `imageId` when that
   * is another image (what the machine wrote is gone), and a running machine run again with the
   * resources `desktop` carries (a machine cannot change its cores or memory while it runs). A
   * running machine is never given a new disk under it: as Nova's rebuild does, it is powered off
   * first (the runtime's Stop: ACPI power-down, then hard after the stop timeout) and started
   * again. A runtime step that fails throws MachineDown: the machine is off, and the desktop ends
   * in ERROR, as after a failed Start (jobs.ts `machineDown`). A missing image changes nothing.
   */
  async resync(desktop: Desktop, disks: readonly Disk[], imageId: string, running: boolean, signal: AbortSignal): Promise<Disk[]> {
    const image = imageId === desktop.imageId ? undefined : await this.imageOf(imageId);
    let now = { disks: [...disks], imageId: desktop.imageId };
    try {
      if (running) await this.runtime.stop(desktop, disks, signal);
      if (image) {
        const fresh = await Promise.all(disks.map((d) => (d.role === 'boot' ? this.runtime.resetBootDisk(desktop, d, image, signal) : d)));
        now = { disks: fresh, imageId };
      }
      if (running) await this.runtime.start({ ...desktop, imageId }, now.disks, signal);
      return now.disks;
    } catch (err) {
      // A shutdown or a lost lease aborts the job, which resumes elsewhere: nothing failed.
      if (signal.aborted) throw err;
      throw new MachineDown(err, now.disks, now.imageId);
    }
  }

  /**
   * The boot disk made anew from the bytes under it (non-persistent Stop and Restart). Not from
   * the image row: the image may be deleted once no group names it, but the disk keeps its
   * blob (docs/decisions.md points 16, 19).
   */
  async resetToBase(desktop: Desktop, disks: readonly Disk[], signal: AbortSignal): Promise<Disk[]> {
    return Promise.all(
      disks.map((d) =>
        d.role === 'boot'
          ? this.runtime.resetBootDisk(desktop, d, { imageId: desktop.imageId, blobSha256: d.baseSha256, storageSize: d.baseStorageSize, minDiskSize: d.baseMinDiskSize }, signal)
          : d,
      ),
    );
  }

  /** The desktop an operation acts on, its group and its disks, as they are now. */
  async current(desktopId: string): Promise<{ desktop: Desktop; group: DesktopGroup; disks: Disk[] }> {
    return this.store.read(async (tx) => {
      const desktop = await tx.desktops.get(desktopId);
      if (!desktop) throw new NotFoundError(`Desktop ${desktopId} not found`);
      const group = await tx.desktopGroups.get(desktop.desktopGroupId);
      if (!group) throw new NotFoundError(`Desktop group ${desktop.desktopGroupId} not found`);
      return { desktop, group, disks: await tx.desktopDisks.ofDesktop(desktopId) };
    });
  }

  desktopsOf(groupId: string): Promise<Desktop[]> {
    return this.store.read((tx) => tx.desktops.allInGroup(groupId));
  }

  disksOf(desktopId: string): Promise<Disk[]> {
    return this.store.read((tx) => tx.desktopDisks.ofDesktop(desktopId));
  }

  /** Replaces the desktop's disk records (inside the job's final transaction). */
  async saveDisks(tx: Repos, desktopId: string, disks: readonly Disk[]): Promise<void> {
    await tx.desktopDisks.deleteOfDesktop(desktopId);
    for (const d of disks) await tx.desktopDisks.insert(d);
  }

  /** Stops and frees the machine; its rows go in the caller's transaction (`forget`). */
  async teardown(desktop: Desktop): Promise<void> {
    await this.runtime.destroy(desktop, await this.disksOf(desktop.id));
  }

  /** Removes a torn-down desktop's rows: disks (releasing their blobs), passwords, the desktop. */
  async forget(tx: Repos, desktopId: string): Promise<void> {
    await tx.desktopDisks.deleteOfDesktop(desktopId);
    await tx.desktopPasswords.deleteOfDesktop(desktopId);
    await tx.desktops.delete(desktopId);
  }
}
