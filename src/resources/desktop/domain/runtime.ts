/**
 * The desktop runtime port (docs/decisions.md point 20): the control plane drives machines only
 * through it, so a runtime that boots real machines (QEMU, libvirt, KubeVirt) plugs in without
 * touching the API or the use cases. Every call may take a while; it honours the signal, and is
 * safe to repeat after a crash (a job that resumes calls it again).
 *
 *   const disks = await runtime.createDisks(desktop, { image, boot, data }, signal);
 *   await runtime.start(desktop, disks, signal);            // then the desktop is ACTIVE
 *   const { host, port } = runtime.connection(desktop);      // the RDP file's address
 */
import type { DiskSpec } from '../../desktop-group/domain/desktop-group.js';
import type { Desktop } from './desktop.js';
import type { Disk } from './disk.js';

/** The image a boot disk is made from. */
export interface DiskImage {
  imageId: string;
  blobSha256: string | null;
  storageSize: number;
  minDiskSize: number;
}

/** A captured boot disk: unchanged (its image's bytes serve), or new bytes in the blob store. */
export type Capture =
  | { kind: 'unchanged' }
  | { kind: 'blob'; sha256: string; storageSize: number; minDiskSize: number };

/**
 * How a machine stopped that nobody here asked to stop: the guest powered itself off (an ACPI
 * shutdown from inside, as when the user shuts the OS down), or it crashed or was ended from
 * outside (an error, a signal).
 */
export type MachineExit = 'powered-off' | 'crashed';

export interface DesktopRuntime {
  readonly name: string;
  /** New disks for a desktop: the boot disk over the image, and an empty data disk if asked. */
  createDisks(desktop: Desktop, spec: { image: DiskImage; boot: DiskSpec; data: DiskSpec | null }, signal: AbortSignal): Promise<Disk[]>;
  /** The boot disk made anew from `image`: what the machine wrote is gone (non-persistent desktops, re-imaging). */
  resetBootDisk(desktop: Desktop, disk: Disk, image: DiskImage, signal: AbortSignal): Promise<Disk>;
  start(desktop: Desktop, disks: readonly Disk[], signal: AbortSignal): Promise<void>;
  stop(desktop: Desktop, disks: readonly Disk[], signal: AbortSignal): Promise<void>;
  restart(desktop: Desktop, disks: readonly Disk[], signal: AbortSignal): Promise<void>;
  /** Stops the machine if it runs and frees what the runtime holds for it. */
  destroy(desktop: Desktop, disks: readonly Disk[]): Promise<void>;
  /** The boot disk as image bytes, for CopyFromDesktop. The desktop is stopped. */
  capture(desktop: Desktop, disk: Disk, signal: AbortSignal): Promise<Capture>;
  /** Where RDP clients connect to this desktop. */
  connection(desktop: Desktop): { host: string; port: number };
  /** The running machine's VNC console (loopback, no password), for the server's own use; null when there is none. */
  console(desktop: Desktop): { host: string; port: number } | null;
  /**
   * Start-up: `active` held ACTIVE desktops when the server last stopped. The runtime frees what
   * an earlier process left (stale machines) and runs them again; it answers the ids it could
   * not run, which end in ERROR.
   */
  reconcile(active: readonly Desktop[], disksOf: (desktopId: string) => Promise<Disk[]>): Promise<string[]>;
  /** `listener` hears of a machine that stopped by itself, and how (see MachineExit). */
  onExit(listener: (desktopId: string, exit: MachineExit) => void): void;
  /**
   * Server shutdown: machines stop with the server — a guest power-down within the shutdown grace
   * where the runtime has one, then hard — and run again at the next start-up (their desktops stay ACTIVE).
   */
  close(): Promise<void>;
}
