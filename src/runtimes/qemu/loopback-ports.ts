/**
 * Loopback ports forwarded to the desktops' RDP port, one per desktop from a configured range.
 * A desktop keeps its port from creation to deletion (written into its directory), so RDP files
 * already handed out stay right across stops and server restarts.
 *
 *   const ports = RdpPorts.load({ first: 33890, last: 33990 }, desktopsDir);
 *   const port = ports.assign(desktopId, dir);
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ResourceExhaustedError } from '../../domain/errors.js';

const FILE = 'rdp-port';

export class RdpPorts {
  private readonly byDesktop = new Map<string, number>();

  private constructor(private readonly range: { first: number; last: number }) {}

  /** The ports that desktops under `root` (one directory each) hold already. */
  static load(range: { first: number; last: number }, root: string): RdpPorts {
    const ports = new RdpPorts(range);
    for (const id of readdirSync(root)) {
      const port = readPort(join(root, id));
      if (port !== undefined) ports.byDesktop.set(id, port);
    }
    return ports;
  }

  get(desktopId: string): number | undefined {
    return this.byDesktop.get(desktopId);
  }

  /** The desktop's port, assigning the lowest free one of the range the first time. */
  assign(desktopId: string, dir: string): number {
    const held = this.byDesktop.get(desktopId) ?? readPort(dir);
    if (held !== undefined) {
      this.byDesktop.set(desktopId, held);
      return held;
    }
    const taken = new Set(this.byDesktop.values());
    for (let port = this.range.first; port <= this.range.last; port++) {
      if (taken.has(port)) continue;
      writeFileSync(join(dir, FILE), String(port), { mode: 0o600 });
      this.byDesktop.set(desktopId, port);
      return port;
    }
    throw new ResourceExhaustedError(`All RDP ports ${this.range.first}-${this.range.last} are taken (--desktop-rdp-ports)`);
  }

  release(desktopId: string): void {
    this.byDesktop.delete(desktopId);
  }
}

function readPort(dir: string): number | undefined {
  try {
    const port = Number(readFileSync(join(dir, FILE), 'utf8').trim());
    return Number.isInteger(port) && port > 0 ? port : undefined;
  } catch {
    return undefined;
  }
}
