// Run by `npm test` (and .ci/run) before the tests: the console's end-to-end tests drive Debian's
// Chromium through playwright-core, which never downloads a browser of its own. A fresh machine
// has none, so this installs the Debian package when /usr/bin/chromium is missing (CI and the
// developers run as root). It waits for the dpkg lock rather than failing when another install
// is running, and fails loudly when the install fails: the tests are never skipped.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export const CHROMIUM = '/usr/bin/chromium';

if (!existsSync(CHROMIUM)) {
  console.log(`# ${CHROMIUM} is missing: installing Debian's chromium package`);
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', ...lock], ['install', '-y', '--no-install-recommends', ...lock, 'chromium']]) {
    const res = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (res.status !== 0) {
      console.error(`apt-get ${args.join(' ')} failed (${res.error?.message ?? `exit ${res.status}`})`);
      process.exit(1);
    }
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`${CHROMIUM} is still missing after installing chromium`);
    process.exit(1);
  }
}
