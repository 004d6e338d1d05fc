/** Loopback port ranges for RDP forwards and VNC consoles: one allocator, a file per purpose. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { InternalError, ResourceExhaustedError } from '../../domain/errors.js';
import { LoopbackPorts, RDP_PORTS, VNC_PORTS } from './loopback-ports.js';

describe('LoopbackPorts', () => {
  it('gives each desktop the lowest free port of each range, keeps it across a reload, and reuses a released one', () => {
    const root = mkdtempSync(join(tmpdir(), 'clouddesk-ports-'));
    try {
      const dirs = ['d1', 'd2', 'd3'].map((id) => (mkdirSync(join(root, id)), join(root, id)));
      const rdp = LoopbackPorts.load({ first: 33890, last: 33891 }, root, RDP_PORTS);
      const vnc = LoopbackPorts.load({ first: 5900, last: 5901 }, root, VNC_PORTS);
      assert.deepEqual([rdp.assign('d1', dirs[0]!), vnc.assign('d1', dirs[0]!)], [33890, 5900]);
      assert.deepEqual([rdp.assign('d2', dirs[1]!), vnc.assign('d2', dirs[1]!)], [33891, 5901]);
      assert.equal(readFileSync(join(dirs[1]!, 'vnc-port'), 'utf8'), '5901');
      assert.throws(() => vnc.assign('d3', dirs[2]!), (err: Error) => err instanceof ResourceExhaustedError && err.message === 'All VNC ports 5900-5901 are taken (--desktop-vnc-ports)');
      assert.throws(() => rdp.assign('d3', dirs[2]!), /^ResourceExhaustedError: All RDP ports 33890-33891 are taken \(--desktop-rdp-ports\)$/);

      const reloaded = LoopbackPorts.load({ first: 5900, last: 5901 }, root, VNC_PORTS);
      assert.equal(reloaded.get('d2'), 5901, 'kept in the desktop directory');
      assert.equal(reloaded.assign('d1', dirs[0]!), 5900, 'the same port again');
      reloaded.release('d1');
      rmSync(dirs[0]!, { recursive: true });
      assert.equal(reloaded.assign('d3', dirs[2]!), 5900, 'a deleted desktop frees its port');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('checkFree names the port and the flag when another process on the host holds it, and passes once it is free', async () => {
    const root = mkdtempSync(join(tmpdir(), 'clouddesk-ports-'));
    const other = createServer();
    try {
      // A port the OS hands out is free; another process's listener on it stands for another server.
      await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
      const port = (other.address() as AddressInfo).port;
      mkdirSync(join(root, 'd1'));
      const rdp = LoopbackPorts.load({ first: port, last: port }, root, RDP_PORTS);
      assert.equal(rdp.assign('d1', join(root, 'd1')), port);
      await assert.rejects(rdp.checkFree(port), (err: Error) =>
        err instanceof InternalError && err.message === `QEMU not started: RDP port ${port} (--desktop-rdp-ports) is in use by another process on this host`);
      await new Promise((resolve) => other.close(resolve));
      await rdp.checkFree(port);
      await new Promise<void>((resolve, reject) => {
        const qemu = createServer().once('error', reject);
        qemu.listen(port, '127.0.0.1', () => qemu.close(() => resolve()));
      }); // the check let the port go again: QEMU can bind it
    } finally {
      other.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
