/**
 * The default desktop runtime (docs/decisions.md point 20): it boots nothing and needs nothing
 * installed, but keeps the state machine honest — each transition takes `transitionMs` and can
 * be aborted — and its disks are real copy-on-write records over the image's blob. Nothing
 * writes to a simulated disk, so a capture is always "unchanged": the new image shares the bytes
 * of the one the desktop was made from.
 *
 *   const runtime = new SimulatedRuntime({ transitionMs: 500, rdpHost: '127.0.0.1' }, clock);
 */
import type { Clock } from '../clock.js';
import { newId } from '../ids.js';
import { CancelledError } from '../domain/errors.js';
import type { Capture, DesktopRuntime, DiskImage } from '../resources/desktop/domain/runtime.js';
import type { Desktop } from '../resources/desktop/domain/desktop.js';
import type { Disk } from '../resources/desktop/domain/disk.js';
import type { DiskSpec } from '../resources/desktop-group/domain/desktop-group.js';

export interface SimulatedRuntimeOptions {
  /** How long each transition (create, start, stop, restart, re-image) takes. */
  readonly transitionMs: number;
  /** The address RDP files name; the port is 3389. */
  readonly rdpHost: string;
}

export const RDP_PORT = 3389;

export class SimulatedRuntime implements DesktopRuntime {
  readonly name = 'simulated';

  constructor(private readonly options: SimulatedRuntimeOptions, private readonly clock: Clock) {}

  async createDisks(desktop: Desktop, spec: { image: DiskImage; boot: DiskSpec; data: DiskSpec | null }, signal: AbortSignal): Promise<Disk[]> {
    await this.transition(signal);
    const disk = (role: Disk['role'], s: DiskSpec, image: DiskImage | null): Disk => ({
      id: newId('epd'),
      desktopId: desktop.id,
      role,
      type: s.type,
      size: s.size,
      baseSha256: image?.blobSha256 ?? null,
      baseStorageSize: image?.storageSize ?? 0,
      baseMinDiskSize: image?.minDiskSize ?? 0,
      overlaySha256: null,
      createdAt: this.clock.now(),
    });
    return [disk('boot', spec.boot, spec.image), ...(spec.data ? [disk('data', spec.data, null)] : [])];
  }

  async resetBootDisk(_desktop: Desktop, disk: Disk, image: DiskImage, signal: AbortSignal): Promise<Disk> {
    await this.transition(signal);
    return { ...disk, baseSha256: image.blobSha256, baseStorageSize: image.storageSize, baseMinDiskSize: image.minDiskSize, overlaySha256: null };
  }

  start(_desktop: Desktop, _disks: readonly Disk[], signal: AbortSignal): Promise<void> {
    return this.transition(signal);
  }

  stop(_desktop: Desktop, _disks: readonly Disk[], signal: AbortSignal): Promise<void> {
    return this.transition(signal);
  }

  restart(_desktop: Desktop, _disks: readonly Disk[], signal: AbortSignal): Promise<void> {
    return this.transition(signal);
  }

  async destroy(): Promise<void> {
    // Nothing runs and nothing is held outside the disk records.
  }

  async capture(_desktop: Desktop, _disk: Disk, signal: AbortSignal): Promise<Capture> {
    await this.transition(signal);
    return { kind: 'unchanged' };
  }

  connection(): { host: string; port: number } {
    return { host: this.options.rdpHost, port: RDP_PORT };
  }

  console(): null {
    return null; // nothing to show
  }

  async reconcile(): Promise<string[]> {
    return []; // A simulated machine runs as long as its record says ACTIVE.
  }

  onExit(): void {
    // Simulated machines never stop by themselves.
  }

  async close(): Promise<void> {}

  private transition(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(new CancelledError('cancelled'));
    if (this.options.transitionMs <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = () => {
        signal.removeEventListener('abort', aborted);
        resolve();
      };
      const timer = setTimeout(done, this.options.transitionMs);
      const aborted = () => {
        clearTimeout(timer);
        reject(signal.reason instanceof Error ? signal.reason : new CancelledError('cancelled'));
      };
      signal.addEventListener('abort', aborted, { once: true });
    });
  }
}
