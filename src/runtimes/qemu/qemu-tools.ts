/**
 * The QEMU programs the qemu runtime drives, found on PATH at start-up (a missing one refuses
 * the runtime with the Debian packages to install), and `qemu-img` calls with their errors
 * made readable.
 *
 *   const tools = findQemuTools('auto');           // throws when qemu is not installed
 *   await qemuImg(tools, ['create', '-f', 'qcow2', path, '1G'], signal);
 */
import { execFile } from 'node:child_process';
import { accessSync, closeSync, constants, openSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { CancelledError, InternalError } from '../../domain/errors.js';
import { ConfigError } from '../../config/parsers.js';

export interface QemuTools {
  readonly system: string;
  readonly img: string;
  readonly accel: 'kvm' | 'tcg';
}

/** A configuration this machine cannot run: start-up stops with the message, as for a bad flag. */
export class QemuMissingError extends ConfigError {}

function onPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** KVM needs /dev/kvm openable for reading and writing (a container may list it without access). */
export function kvmUsable(): boolean {
  try {
    closeSync(openSync('/dev/kvm', 'r+'));
    return true;
  } catch {
    return false;
  }
}

export function findQemuTools(accel: 'auto' | 'kvm' | 'tcg'): QemuTools {
  const system = onPath('qemu-system-x86_64');
  const img = onPath('qemu-img');
  if (!system || !img) {
    const missing = [system ? '' : 'qemu-system-x86_64', img ? '' : 'qemu-img'].filter(Boolean).join(' and ');
    throw new QemuMissingError(
      `--desktop-runtime qemu: ${missing} not found on PATH; install them (Debian: apt-get install qemu-system-x86 qemu-utils) or use --desktop-runtime simulated`,
    );
  }
  if (accel === 'kvm' && !kvmUsable()) throw new QemuMissingError('--desktop-accel kvm: /dev/kvm is missing or not accessible');
  return { system, img, accel: accel === 'auto' ? (kvmUsable() ? 'kvm' : 'tcg') : accel };
}

/** Runs qemu-img; its stdout, or an InternalError carrying its stderr. */
export function qemuImg(tools: QemuTools, args: readonly string[], signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(tools.img, args, { signal, maxBuffer: 64 << 20, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      if (signal?.aborted) return reject(new CancelledError('cancelled'));
      reject(new InternalError(`qemu-img ${args[0]} failed: ${stderr.trim() || err.message}`));
    });
  });
}
