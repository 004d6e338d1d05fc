/**
 * The QEMU command line of one desktop, with the isolation it promises (docs/security.md):
 * a seccomp sandbox denying obsolete calls, privilege changes, spawning and resource control;
 * no host file sharing, no default devices, no display but a VNC console on a loopback port
 * (VNC has no password here: only local processes reach it); QMP on unix sockets in the
 * desktop's 0700 directory (commands, and events); user-mode networking with `restrict=on` (the guest reaches nothing)
 * except one loopback forward to its RDP port 3389.
 *
 *   const args = qemuArgs({ id, dir, accel: 'tcg', memory: 2 << 30, cores: 2, boot, data: null, rdpPort: 33890, vncPort: 35900 });
 */
import { join } from 'node:path';

export interface MachineSpec {
  id: string;
  dir: string;
  accel: 'kvm' | 'tcg';
  /** Bytes. */
  memory: number;
  cores: number;
  boot: string;
  data: string | null;
  rdpPort: number;
  /** 5900 or above: QEMU's VNC display N listens on 5900 + N. */
  vncPort: number;
}

/** QEMU names VNC listeners by display number, not port. */
export const VNC_BASE_PORT = 5900;

const MIB = 1024 * 1024;

export function qemuArgs(m: MachineSpec): string[] {
  const drive = (path: string, id: string, bootindex: number | null) => [
    '-drive', `file=${path.replaceAll(',', ',,')},format=qcow2,if=none,id=${id},discard=unmap`,
    '-device', `virtio-blk-pci,drive=${id}${bootindex === null ? '' : `,bootindex=${bootindex}`}`,
  ];
  return [
    '-name', `desktop-${m.id}`,
    '-nodefaults', '-no-user-config',
    '-machine', 'pc',
    '-accel', m.accel,
    ...(m.accel === 'kvm' ? ['-cpu', 'host'] : []),
    '-m', `${Math.max(16, Math.floor(m.memory / MIB))}M`,
    '-smp', String(Math.max(1, m.cores)),
    '-sandbox', 'on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny',
    '-display', 'none',
    '-device', 'VGA',
    '-vnc', `127.0.0.1:${m.vncPort - VNC_BASE_PORT}`,
    '-qmp', `unix:${join(m.dir, 'qmp.sock')},server=on,wait=off`,
    // A second monitor that only the runtime's event listener holds (QEMU serves one client per monitor).
    '-qmp', `unix:${join(m.dir, 'events.sock')},server=on,wait=off`,
    '-pidfile', join(m.dir, 'qemu.pid'),
    ...drive(m.boot, 'boot', 0),
    ...(m.data ? drive(m.data, 'data', null) : []),
    '-netdev', `user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:${m.rdpPort}-:3389`,
    '-device', 'virtio-net-pci,netdev=net0',
    '-boot', 'strict=on',
  ];
}
