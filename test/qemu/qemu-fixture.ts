/**
 * What the QEMU runtime tests share: a server on `--desktop-runtime qemu --desktop-accel tcg`
 * with the test images seeded as system images, REST calls that wait for their operations, and
 * readers of the disks QEMU writes (through qemu-img, never the running machine's own view).
 *
 *   const q = await startQemuServer(['--desktop-stop-timeout-ms', '1000']);
 *   const group = await q.group('marker');
 *   const desktop = await q.desktop(group.id);           // ACTIVE: QEMU runs
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../harness/server.js';
import { waitFor } from '../harness/wait.js';
import { acpiSector, diskImage, idleSector, MARKER, MARKER_SECTOR, markerSector } from './boot-sector.js';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const FOLDER = 'qemu-tests';

export interface QemuServer {
  server: RunningServer;
  /** The server's `--desktop-rdp-ports` and `--desktop-vnc-ports` (its own block: see portBlock). */
  readonly rdpPorts: { first: number; last: number };
  readonly vncPorts: { first: number; last: number };
  call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: Json): Promise<Json>;
  /** Runs an operation-returning call and answers its response (fails on an operation error). */
  operation(path: string, body?: Json, method?: 'POST' | 'PATCH' | 'DELETE'): Promise<Json>;
  systemImage(name: 'marker' | 'idle' | 'acpi'): Promise<string>;
  group(imageId: string, extra?: Json): Promise<Json>;
  desktop(groupId: string): Promise<Json>;
  restart(): Promise<void>;
  cleanup(): Promise<void>;
}

/** Ports per block: the first half for RDP, the second for VNC. */
const BLOCK = 200;
let claimed: Promise<{ rdp: { first: number; last: number }; vnc: { first: number; last: number } }> | undefined;

/**
 * The RDP and VNC port ranges of this test process's servers. node --test runs the QEMU test
 * files side by side, each in its own process; with one shared range both servers hand port
 * after port out in the same order, and the second QEMU to bind one exits at start. A process
 * claims block k by listening on port 19000 + k for as long as it lives, so no two processes
 * ever share a block. The ranges stay below Linux's ephemeral ports (32768 and up).
 */
function portBlock(): NonNullable<typeof claimed> {
  claimed ??= (async () => {
    for (let k = 0; k < 60; k++) {
      const sentinel = createServer();
      const free = await new Promise<boolean>((resolve) => {
        sentinel.once('error', () => resolve(false));
        sentinel.listen(19000 + k, '127.0.0.1', () => resolve(true));
      });
      if (!free) continue;
      sentinel.unref(); // held until the process ends, without keeping it alive
      const base = 20000 + k * BLOCK;
      return { rdp: { first: base, last: base + BLOCK / 2 - 1 }, vnc: { first: base + BLOCK / 2, last: base + BLOCK - 1 } };
    }
    throw new Error('no free block of desktop ports (sentinels 19000-19059 all taken)');
  })();
  return claimed;
}

export async function startQemuServer(args: string[] = []): Promise<QemuServer> {
  const images = mkdtempSync(join(tmpdir(), 'clouddesk-qemu-images-'));
  writeFileSync(join(images, 'marker.raw'), diskImage(markerSector()));
  writeFileSync(join(images, 'idle.raw'), diskImage(idleSector()));
  writeFileSync(join(images, 'acpi.raw'), diskImage(acpiSector()));
  const { rdp, vnc } = await portBlock();
  const serveArgs = [
    '--desktop-runtime', 'qemu', '--desktop-accel', 'tcg', '--system-images-dir', images,
    '--desktop-rdp-ports', `${rdp.first}-${rdp.last}`, '--desktop-vnc-ports', `${vnc.first}-${vnc.last}`, ...args,
  ];
  const q: QemuServer = {
    rdpPorts: rdp,
    vncPorts: vnc,
    server: await startServer({ args: serveArgs }),
    async call(method, path, body) {
      const res = await fetch(`http://${q.server.address}${path}`, {
        method, headers: { authorization: `Bearer ${q.server.token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.json()) as Json;
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    },
    async operation(path, body, method = 'POST') {
      const op = await q.call(method, path, body);
      const done = await waitFor(async () => {
        const o = await q.call('GET', `/operations/${op['id']}`);
        return o['done'] ? o : undefined;
      }, { what: `operation ${path}`, timeoutMs: 60_000, intervalMs: 100 });
      if (done['error']) throw new Error(`${path}: ${JSON.stringify(done['error'])}`);
      return done['response'] ?? {};
    },
    async systemImage(name) {
      const list = await q.call('GET', '/cloud-desktop/v1/images?folderId=standard-images');
      const image = (list['desktopImages'] as Json[]).find((i) => i['name'] === name);
      assert.ok(image, `system image ${name}`);
      return image['id'];
    },
    async group(imageId, extra = {}) {
      return q.operation('/cloud-desktop/v1/desktopGroups', {
        folderId: FOLDER, desktopImageId: imageId, name: `g-${Math.random().toString(36).slice(2, 8)}`,
        resourcesSpec: { memory: String(64 * 1024 * 1024), cores: '1', coreFraction: '100' },
        bootDiskSpec: { type: 'HDD', size: String(64 * 1024 * 1024) },
        ...extra,
      });
    },
    async desktop(groupId) {
      return q.operation('/cloud-desktop/v1/desktops', { desktopGroupId: groupId, users: [{ subjectId: 'user-1', subjectType: 'userAccount' }] });
    },
    async restart() {
      q.server = await startServer({ args: serveArgs, dataDir: q.server.dataDir });
    },
    async cleanup() {
      await q.server.cleanup();
      rmSync(images, { recursive: true, force: true });
    },
  };
  return q;
}

/** The boot disk overlay of a desktop (the one qcow2 file that is not the data disk). */
export function overlayOf(dataDir: string, desktopId: string, role: 'boot' | 'data' = 'boot'): string {
  const dir = join(dataDir, 'desktops', desktopId);
  const disks = readdirSync(dir).filter((n) => n.endsWith('.qcow2')).map((n) => join(dir, n));
  const boot = disks.find((p) => qemuImgInfo(p)['backing-filename'] !== undefined || disks.length === 1);
  return role === 'boot' ? boot! : disks.find((p) => p !== boot)!;
}

export function qemuImgInfo(path: string): Json {
  return JSON.parse(execFileSync('qemu-img', ['info', '-U', '--output=json', path], { encoding: 'utf8' })) as Json;
}

/** Sector `MARKER_SECTOR` of a disk image as the guest sees it (overlay and base together). */
export function markerSectorOf(path: string, format: 'qcow2' | 'raw' = 'qcow2'): Buffer {
  const out = join(mkdtempSync(join(tmpdir(), 'clouddesk-sector-')), 'sector');
  try {
    // qemu-img dd counts `count` from the start of the input, skipped blocks included.
    execFileSync('qemu-img', ['dd', '-U', '-f', format, '-O', 'raw', 'bs=512', `skip=${MARKER_SECTOR}`, `count=${MARKER_SECTOR + 1}`, `if=${path}`, `of=${out}`]);
    return readFileSync(out);
  } finally {
    rmSync(join(out, '..'), { recursive: true, force: true });
  }
}

export function hasMarker(path: string, format: 'qcow2' | 'raw' = 'qcow2'): boolean {
  return markerSectorOf(path, format).subarray(0, MARKER.length).equals(MARKER);
}

/** Pids of QEMU processes whose command line names `dataDir`. */
export function qemuPids(dataDir: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      const state = /^\d+ \(.*\) (\S)/.exec(readFileSync(`/proc/${name}/stat`, 'utf8'))?.[1];
      if (state !== 'Z' && cmd[0]?.endsWith('qemu-system-x86_64') && cmd.some((a) => a.includes(dataDir))) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Blob files of the directory store, by hash. */
export function blobFiles(dataDir: string): Map<string, string> {
  const root = join(dataDir, 'blobs');
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (/^[0-9a-f]{64}$/.test(e.name)) out.set(e.name, join(dir, e.name));
    }
  };
  walk(root);
  return out;
}

/** The first bytes a TCP server on 127.0.0.1:`port` sends (a VNC server: its RFB version); throws when nothing listens. */
export function bannerOf(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let got = '';
    const timer = setTimeout(() => (socket.destroy(), reject(new Error(`no banner on port ${port}`))), 5_000);
    socket.on('data', (chunk) => {
      got += chunk.toString('latin1');
      if (got.includes('\n')) {
        clearTimeout(timer);
        socket.destroy();
        resolve(got);
      }
    });
    socket.on('error', (err) => (clearTimeout(timer), reject(err)));
  });
}
