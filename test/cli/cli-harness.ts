/**
 * Runs the `clouddesk` command as a user would, with its own config directory (profiles) and
 * none of the caller's CLOUDDESK_* variables.
 *
 *   const run = await clouddesk(['desktops', 'image', 'list', '--format', 'json'], { XDG_CONFIG_HOME: dir });
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const BIN = resolve(import.meta.dirname, '../../../bin/clouddesk.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function clouddesk(args: string[], env: Record<string, string>): Promise<Run> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CLOUDDESK_')));
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
