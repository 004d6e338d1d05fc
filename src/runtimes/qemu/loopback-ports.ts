/**
 * Loopback ports handed to desktops from a configured range, one per desktop and purpose: the
 * host forward to the guest's RDP port 3389 (`--desktop-rdp-ports`) and the VNC console
 * (`--desktop-vnc-ports`). A desktop keeps its port from creation to deletion (written into its
 * directory under `file`), so RDP files already handed out stay right across stops and server
 * restarts; the socket itself is open only while QEMU runs.
 *
 *   const rdp = LoopbackPorts.load({ first: 33890, last: 33990 }, desktopsDir, RDP_PORTS);
 *   const port = rdp.assign(desktopId, dir);
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { InternalError, ResourceExhaustedError } from '../../domain/errors.js';

export interface PortRange {
  readonly first: number;
  readonly last: number;
}

/** What a range is for: the file in the desktop's directory that keeps its port, and the flag naming the range. */
export interface PortPurpose {
  readonly what: string;
  readonly file: string;
  readonly flag: string;
}

export const RDP_PORTS: PortPurpose = { what: 'RDP', file: 'rdp-port', flag: '--desktop-rdp-ports' };
export const VNC_PORTS: PortPurpose = { what: 'VNC', file: 'vnc-port', flag: '--desktop-vnc-ports' };

export class LoopbackPorts {
  private readonly byDesktop = new Map<string, number>();

  private constructor(private readonly range: PortRange, private readonly purpose: PortPurpose) {}

  /** The ports that desktops under `root` (one directory each) hold already. */
  static load(range: PortRange, root: string, purpose: PortPurpose): LoopbackPorts {
    const ports = new LoopbackPorts(range, purpose);
    for (const id of readdirSync(root)) {
      const port = ports.read(join(root, id));
      if (port !== undefined) ports.byDesktop.set(id, port);
    }
    return ports;
  }

  get(desktopId: string): number | undefined {
    return this.byDesktop.get(desktopId);
  }

  /** The desktop's port, assigning the lowest free one of the range the first time. */
  assign(desktopId: string, dir: string): number {
    const held = this.byDesktop.get(desktopId) ?? this.read(dir);
    if (held !== undefined) {
      this.byDesktop.set(desktopId, held);
      return held;
    }
    const taken = new Set(this.byDesktop.values());
    for (let port = this.range.first; port <= this.range.last; port++) {
      if (taken.has(port)) continue;
      writeFileSync(join(dir, this.purpose.file), String(port), { mode: 0o600 });
      this.byDesktop.set(desktopId, port);
      return port;
    }
    const { what, flag } = this.purpose;
    throw new ResourceExhaustedError(`All ${what} ports ${this.range.first}-${this.range.last} are taken (${flag})`);
  }

  release(desktopId: string): void {
    this.byDesktop.delete(desktopId);
  }

  /**
   * Throws when another process on this host listens on `port` (a desktop's, from `assign`):
   * another server given the same range, say. QEMU would exit at start without saying why to the
   * client; this says which port and which flag. (Something may still take the port between
   * this check and QEMU's bind; then QEMU exits at start as before.)
   */
  async checkFree(port: number): Promise<void> {
    const probe = createServer();
    const err = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      probe.once('error', resolve);
      probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve(undefined));
    });
    if (err === undefined) return new Promise((resolve) => probe.close(() => resolve()));
    const { what, flag } = this.purpose;
    if (err.code === 'EADDRINUSE') throw new InternalError(`QEMU not started: ${what} port ${port} (${flag}) is in use by another process on this host`);
    throw new InternalError(`QEMU not started: ${what} port ${port} (${flag}) cannot be bound (${err.code ?? 'unknown error'})`);
  }

  /** The port kept in the desktop's directory (kept even if the range changed since). */
  private read(dir: string): number | undefined {
    try {
      const port = Number(readFileSync(join(dir, this.purpose.file), 'utf8').trim());
      return Number.isInteger(port) && port > 0 ? port : undefined;
    } catch {
      return undefined;
    }
  }
}
