/**
 * Desktops as QEMU machines (`--desktop-runtime qemu`). Each desktop has a 0700 directory under
 * `<data-dir>/desktops/<id>` holding its disks, QMP socket, pid file, log and port numbers. Start
 * launches QEMU (KVM when usable, else TCG) and is done when QMP reports the machine running;
 * Stop asks for an ACPI power-down, waits `stopTimeoutMs`, then powers off hard; Restart is a
 * reset; re-imaging a running desktop is a Stop and a Start around the new overlay (domain's
 * Machines.resync). A machine that ends without being asked is reported (`onExit`) as
 * 'powered-off' when QMP's SHUTDOWN event says the guest powered itself off, else 'crashed'. The guest reaches nothing but its RDP port, forwarded from a loopback port;
 * its VNC console listens on another loopback port (`console`).
 *
 *   const runtime = QemuRuntime.open(options, { blobs, importer });
 *   await runtime.start(desktop, disks, signal);          // QEMU runs; the desktop is ACTIVE
 */
import { existsSync, mkdirSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { newId } from '../../ids.js';
import { loggers } from '../../logger.js';
import { Semaphore } from '../../domain/semaphore.js';
import { InternalError, UnavailableError } from '../../domain/errors.js';
import type { BlobStore } from '../../domain/blobs/blob-store.js';
import type { ImageImporter } from '../../domain/blobs/image-importer.js';
import type { Capture, DesktopRuntime, DiskImage, MachineExit } from '../../resources/desktop/domain/runtime.js';
import type { Desktop } from '../../resources/desktop/domain/desktop.js';
import type { Disk } from '../../resources/desktop/domain/disk.js';
import type { DiskSpec } from '../../resources/desktop-group/domain/desktop-group.js';
import { findQemuTools, type QemuTools } from './qemu-tools.js';
import { exitsWithin, killStale, launchQemu, untilRunning, type QemuProcess } from './qemu-process.js';
import { qmp, qmpEvents } from './qmp.js';
import { BaseImages } from './base-images.js';
import { QemuDisks } from './qemu-disks.js';
import { LoopbackPorts, RDP_PORTS, VNC_PORTS, type PortRange } from './loopback-ports.js';
import { qemuArgs } from './qemu-args.js';

export interface QemuRuntimeOptions {
  readonly dataDir: string;
  readonly rdpHost: string;
  readonly rdpPorts: PortRange;
  readonly vncPorts: PortRange;
  readonly stopTimeoutMs: number;
  readonly accel: 'auto' | 'kvm' | 'tcg';
  readonly imageCacheBytes: number | undefined;
  /** How long guests may take to power down when the server shuts down. */
  readonly shutdownGraceMs: number;
}

interface Machine {
  readonly proc: QemuProcess;
  readonly bases: readonly string[];
  /** Set when this server ends the machine; an exit without it is reported as unexpected. */
  stopping: boolean;
  /** Set by QMP's SHUTDOWN event when the guest itself powered off (reported as 'powered-off'). */
  guestPoweredOff: boolean;
}

/** How long an exit's report waits for the event monitor to close (it does as QEMU exits). */
const EVENTS_CLOSE_MS = 2_000;
/** Desktops started at once when start-up runs the ACTIVE ones again (reconcile). */
const RECONCILE_PARALLEL = 4;

export class QemuRuntime implements DesktopRuntime {
  readonly name = 'qemu';
  private readonly machines = new Map<string, Machine>();
  /** Base blobs captures are reading, with how many captures read each (they may overlap). */
  private readonly capturing = new Map<string, number>();
  private readonly listeners: ((desktopId: string, exit: MachineExit) => void)[] = [];
  private readonly disks: QemuDisks;
  /** Set by close(): no machine starts after the shutdown began. */
  private closed = false;

  private constructor(
    private readonly options: QemuRuntimeOptions,
    private readonly tools: QemuTools,
    private readonly root: string,
    private readonly rdpPorts: LoopbackPorts,
    private readonly vncPorts: LoopbackPorts,
    deps: { blobs: BlobStore; importer: ImageImporter },
  ) {
    const inUse = () => new Set([...this.capturing.keys(), ...[...this.machines.values()].flatMap((m) => m.bases)]);
    const images = new BaseImages(deps.blobs, join(options.dataDir, 'image-cache'), options.imageCacheBytes, inUse);
    this.disks = new QemuDisks(tools, images, deps.importer, root);
  }

  /** Throws (refusing the runtime at start-up) when the QEMU programs are not installed. */
  static open(options: QemuRuntimeOptions, deps: { blobs: BlobStore; importer: ImageImporter }): QemuRuntime {
    const tools = findQemuTools(options.accel);
    const root = join(options.dataDir, 'desktops');
    mkdirSync(root, { recursive: true, mode: 0o700 });
    const rdp = LoopbackPorts.load(options.rdpPorts, root, RDP_PORTS);
    const vnc = LoopbackPorts.load(options.vncPorts, root, VNC_PORTS);
    return new QemuRuntime(options, tools, root, rdp, vnc, deps);
  }

  get accel(): 'kvm' | 'tcg' {
    return this.tools.accel;
  }

  async createDisks(desktop: Desktop, spec: { image: DiskImage; boot: DiskSpec; data: DiskSpec | null }, signal: AbortSignal): Promise<Disk[]> {
    const dir = await this.dirOf(desktop.id);
    // A create resumed after a crash makes its disks anew: drop any a first try left.
    for (const name of await readdir(dir)) if (name.endsWith('.qcow2') || name.endsWith('.tmp')) await rm(join(dir, name), { force: true });
    this.rdpPorts.assign(desktop.id, dir);
    this.vncPorts.assign(desktop.id, dir);
    const record = (role: Disk['role'], s: DiskSpec, image: DiskImage | null): Disk => ({
      id: newId('epd'), desktopId: desktop.id, role, type: s.type, size: Math.max(s.size, image?.minDiskSize ?? 0),
      baseSha256: image?.blobSha256 ?? null, baseStorageSize: image?.storageSize ?? 0, baseMinDiskSize: image?.minDiskSize ?? 0,
      overlaySha256: null, createdAt: desktop.createdAt,
    });
    const boot = record('boot', spec.boot, spec.image);
    await this.disks.makeBoot(join(dir, `${boot.id}.qcow2`), boot.baseSha256, boot.size, signal);
    if (!spec.data) return [boot];
    const data = record('data', spec.data, null);
    await this.disks.makeEmpty(join(dir, `${data.id}.qcow2`), data.size, signal);
    return [boot, data];
  }

  async resetBootDisk(desktop: Desktop, disk: Disk, image: DiskImage, signal: AbortSignal): Promise<Disk> {
    // The domain stops the machine first (Machines.resync); an overlay swapped under a running
    // QEMU would leave the guest writing to a file no longer in the disk record.
    if (this.machines.has(desktop.id)) throw new InternalError(`Desktop ${desktop.id} runs: its boot disk cannot be replaced under it`);
    const fresh: Disk = {
      ...disk, size: Math.max(disk.size, image.minDiskSize), baseSha256: image.blobSha256,
      baseStorageSize: image.storageSize, baseMinDiskSize: image.minDiskSize, overlaySha256: null,
    };
    await this.disks.makeBoot(join(await this.dirOf(desktop.id), `${disk.id}.qcow2`), fresh.baseSha256, fresh.size, signal);
    return fresh;
  }

  async start(desktop: Desktop, disks: readonly Disk[], signal: AbortSignal): Promise<void> {
    if (this.machines.has(desktop.id)) return; // a resumed Start: it runs already
    if (this.closed) throw new UnavailableError('server is stopping');
    const dir = await this.dirOf(desktop.id);
    await killStale(dir);
    const bases = disks.flatMap((d) => (d.baseSha256 ? [d.baseSha256] : []));
    for (const sha of bases) await this.disks.ensureBase(sha, signal);
    const boot = disks.find((d) => d.role === 'boot');
    if (!boot) throw new InternalError(`Desktop ${desktop.id} has no boot disk`);
    const data = disks.find((d) => d.role === 'data');
    for (const sock of ['qmp.sock', 'events.sock']) await rm(join(dir, sock), { force: true });
    const rdpPort = this.rdpPorts.assign(desktop.id, dir);
    const vncPort = this.vncPorts.assign(desktop.id, dir);
    await this.rdpPorts.checkFree(rdpPort);
    await this.vncPorts.checkFree(vncPort);
    const args = qemuArgs({
      id: desktop.id, dir, accel: this.tools.accel, memory: desktop.resources.memory, cores: desktop.resources.cores,
      boot: join(dir, `${boot.id}.qcow2`), data: data ? join(dir, `${data.id}.qcow2`) : null, rdpPort, vncPort,
    });
    const machine: Machine = { proc: launchQemu(this.tools.system, args, dir), bases, stopping: false, guestPoweredOff: false };
    this.machines.set(desktop.id, machine);
    // QEMU exits cleanly both when the guest powers off and on a SIGTERM from anyone; only the
    // SHUTDOWN event tells them apart (guest-shutdown, against host-signal or host-qmp-quit).
    const events = qmpEvents(join(dir, 'events.sock'), machine.proc.exited, (event, data) => {
      if (event === 'SHUTDOWN' && data['guest'] === true && data['reason'] === 'guest-shutdown') machine.guestPoweredOff = true;
    });
    void machine.proc.exited.then(async () => {
      if (this.machines.get(desktop.id) === machine) this.machines.delete(desktop.id);
      if (machine.stopping) return;
      await Promise.race([events, new Promise((r) => setTimeout(r, EVENTS_CLOSE_MS).unref())]);
      if (this.machines.has(desktop.id)) return; // started again meanwhile: this exit is old news
      const exit: MachineExit = machine.guestPoweredOff ? 'powered-off' : 'crashed';
      for (const l of this.listeners) l(desktop.id, exit);
    });
    try {
      await untilRunning(join(dir, 'qmp.sock'), machine.proc, signal);
    } catch (err) {
      machine.stopping = true;
      machine.proc.kill();
      await machine.proc.exited;
      throw err;
    }
  }

  async stop(desktop: Desktop): Promise<void> {
    await this.powerDown(desktop.id, this.options.stopTimeoutMs, 'stop');
  }

  async restart(desktop: Desktop, disks: readonly Disk[], signal: AbortSignal): Promise<void> {
    if (!this.machines.has(desktop.id)) return this.start(desktop, disks, signal);
    await qmp(join(this.root, desktop.id, 'qmp.sock'), 'system_reset');
  }

  async destroy(desktop: Desktop): Promise<void> {
    await this.powerOff(desktop.id);
    const dir = join(this.root, desktop.id);
    await killStale(dir);
    await rm(dir, { recursive: true, force: true });
    this.rdpPorts.release(desktop.id);
    this.vncPorts.release(desktop.id);
  }

  async capture(desktop: Desktop, disk: Disk, signal: AbortSignal): Promise<Capture> {
    const path = join(this.root, desktop.id, `${disk.id}.qcow2`);
    if (!existsSync(path)) throw new InternalError(`The boot disk of desktop ${desktop.id} is missing`);
    const key = disk.baseSha256 ?? '';
    this.capturing.set(key, (this.capturing.get(key) ?? 0) + 1);
    try {
      return await this.disks.capture(path, disk.baseSha256, signal);
    } finally {
      const left = this.capturing.get(key)! - 1;
      if (left === 0) this.capturing.delete(key);
      else this.capturing.set(key, left);
    }
  }

  connection(desktop: Desktop): { host: string; port: number } {
    return { host: this.options.rdpHost, port: this.rdpPorts.get(desktop.id) ?? 0 };
  }

  console(desktop: Desktop): { host: string; port: number } | null {
    const port = this.vncPorts.get(desktop.id);
    return port === undefined || !this.machines.has(desktop.id) ? null : { host: '127.0.0.1', port };
  }

  async reconcile(active: readonly Desktop[], disksOf: (desktopId: string) => Promise<Disk[]>): Promise<string[]> {
    for (const id of await readdir(this.root)) if (!this.machines.has(id)) await killStale(join(this.root, id));
    // A few at a time: the server listens only after this, and one by one it took a boot wait per
    // desktop (the base-image cache shares a download that several of them need).
    const slots = new Semaphore(RECONCILE_PARALLEL);
    const never = new AbortController().signal;
    const failed: string[] = [];
    await Promise.all(
      active.map((desktop) =>
        slots.run(never, async () => this.start(desktop, await disksOf(desktop.id), never)).catch(() => void failed.push(desktop.id)),
      ),
    );
    return failed;
  }

  onExit(listener: (desktopId: string, exit: MachineExit) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Server shutdown, as a host shutdown treats its guests: each gets an ACPI power-down and up
   * to the shutdown grace to go, then is powered off hard. Their desktops stay ACTIVE in the
   * store (an exit we asked for is not reported), so the next start-up runs them again; when
   * this resolves no QEMU of ours runs (and the watchdog ends any at the server's exit).
   */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.machines.keys()].map((id) => this.powerDown(id, this.options.shutdownGraceMs, 'shutdown')));
  }

  /** ACPI power-down, up to `timeoutMs` for the guest to go, then a hard power-off. */
  private async powerDown(desktopId: string, timeoutMs: number, on: 'stop' | 'shutdown'): Promise<void> {
    const machine = this.machines.get(desktopId);
    if (!machine) return; // stopped already (or a resumed Stop after a restart)
    machine.stopping = true;
    await qmp(join(this.root, desktopId, 'qmp.sock'), 'system_powerdown').catch(() => undefined);
    if (await exitsWithin(machine.proc, timeoutMs)) return;
    loggers.desktops.warn({ desktopId, timeoutMs, on }, 'desktop did not power down in time; powering off');
    await this.powerOff(desktopId);
  }

  private async powerOff(desktopId: string): Promise<void> {
    const machine = this.machines.get(desktopId);
    if (!machine) return;
    machine.stopping = true;
    await qmp(join(this.root, desktopId, 'qmp.sock'), 'quit', 2_000).catch(() => undefined);
    if (!(await exitsWithin(machine.proc, 5_000))) machine.proc.kill();
    await machine.proc.exited;
  }

  private async dirOf(desktopId: string): Promise<string> {
    const dir = join(this.root, desktopId);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return dir;
  }
}
