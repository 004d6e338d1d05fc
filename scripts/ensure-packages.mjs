#!/usr/bin/env node
// Installs the Debian packages the test suite needs when they are missing: qemu-system-x86
// (qemu-system-x86_64) and qemu-utils (qemu-img) for the QEMU runtime's tests, which boot real
// machines, and chromium for the console's end-to-end tests (never a downloaded browser).
// Runs as root on CI and in the dev containers; elsewhere it says what to install and fails,
// since those tests fail — never skip — without them.
import { execFileSync, spawnSync } from 'node:child_process';

const NEEDED = [
  { program: 'qemu-system-x86_64', pkg: 'qemu-system-x86' },
  { program: 'qemu-img', pkg: 'qemu-utils' },
  { program: '/usr/bin/chromium', pkg: 'chromium' },
];
const has = (program) => spawnSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' }).status === 0;
const missing = NEEDED.filter((n) => !has(n.program)).map((n) => n.pkg);
if (missing.length === 0) process.exit(0);
if (process.getuid?.() !== 0) {
  console.error(`ensure-packages: missing ${missing.join(' ')}; install them: sudo apt-get install -y ${missing.join(' ')}`);
  process.exit(1);
}
console.log(`ensure-packages: installing ${missing.join(' ')}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '--no-install-recommends', '-o', 'DPkg::Lock::Timeout=600', ...missing], { stdio: 'inherit', env });
