// Runs every compiled *.test.js under dist/ with node's built-in test runner.
// Node 20's --test does not expand globs, so the files are listed here.
//
// Two passes: everything on the embedded SQLite store, then the black-box API suites again
// against PostgreSQL (127.0.0.1:5432, user postgres), each test server on a fresh database of
// its own (test/harness/database.ts), with the PostgreSQL store's own tests.
// CLOUDDESK_TEST_DATABASE=sqlite or =postgres runs only that pass. Arguments filter the files
// by path substring.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';

/** The suites that talk to a server process, and so can run on either store. */
const ON_POSTGRES = ['dist/test/api/', 'dist/test/rest/', 'dist/test/idempotency/', 'dist/test/quota/', 'dist/test/audit/'];
/** Suites that read the embedded store's own files (clouddesk.db, -wal): in the SQLite pass only. */
const SQLITE_ONLY = ['dist/test/api/data-at-rest.test.js', 'dist/test/api/desktops-secrets.test.js'];
/** Tests of the PostgreSQL store itself, and of replicas sharing one database: in the PostgreSQL pass only. */
const POSTGRES_ONLY = ['dist/src/storage/postgres/', 'dist/test/replicas/'];

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) find(path, out);
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

const only = process.argv.slice(2);
const files = find('dist').filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const chosen = process.env.CLOUDDESK_TEST_DATABASE;
const passes = [];
const sqliteFiles = files.filter((f) => !POSTGRES_ONLY.some((dir) => f.startsWith(dir)));
if (chosen !== 'postgres' && sqliteFiles.length > 0) {
  passes.push({ name: 'sqlite', files: sqliteFiles, env: { CLOUDDESK_TEST_DATABASE: 'sqlite' } });
}
const pgFiles = files.filter((f) => !SQLITE_ONLY.includes(f) && (POSTGRES_ONLY.some((dir) => f.startsWith(dir)) || ON_POSTGRES.some((dir) => f.startsWith(dir))));
const run = `r${process.pid}${randomBytes(3).toString('hex')}`;
if (chosen !== 'sqlite' && pgFiles.length > 0) {
  passes.push({ name: 'postgres', files: pgFiles, env: { CLOUDDESK_TEST_DATABASE: 'postgres', CLOUDDESK_TEST_RUN: run } });
}

// A second TAP copy of each pass goes to a file, so the failures can be listed again at the very
// end: a CI log is often read from its tail, and one pass's failure is far above the other's.
const reports = mkdtempSync(join(tmpdir(), 'clouddesk-tests-'));
let status = 0;
const failures = [];
for (const pass of passes) {
  console.log(`# store: ${pass.name} (${pass.files.length} files)`);
  const started = Date.now();
  const report = join(reports, `${pass.name}.tap`);
  const reporters = ['--test-reporter=tap', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${report}`];
  const res = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...reporters, ...pass.files], {
    stdio: 'inherit',
    env: { ...process.env, ...pass.env },
  });
  console.log(`# store: ${pass.name} ${res.status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (res.status !== 0) {
    status = res.status ?? 1;
    failures.push(...failedTests(report).map((f) => `${pass.name}: ${f}`));
    if (res.status === null) failures.push(`${pass.name}: the test runner ended by ${res.signal ?? 'an error'}`);
  }
  if (pass.name === 'postgres') await sweep(run);
}
rmSync(reports, { recursive: true, force: true });
if (failures.length > 0) {
  console.log(`# failed (${failures.length}):`);
  for (const f of failures) console.log(`#   ${f}`);
}
process.exit(status);

/**
 * The failed tests of a TAP report, innermost only (a suite that failed because a test in it did
 * is not listed again): each as its name, where it is, and the first line of its error.
 */
function failedTests(report) {
  let text;
  try {
    text = readFileSync(report, 'utf8');
  } catch {
    return [`no report at ${report}`];
  }
  const lines = text.split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)not ok \d+ - (.*)$/.exec(lines[i]);
    if (m === null) continue;
    const indent = m[1].length + 2;
    const fields = {};
    for (let j = i + 1; j < lines.length && lines[j].startsWith(' '.repeat(indent)) && lines[j].trim() !== '...'; j++) {
      const f = /^\s*(location|failureType|error): (.*)$/.exec(lines[j]);
      if (f === null || f[1] in fields) continue;
      // A block scalar (|-) has its text on the next line.
      fields[f[1]] = f[2] === '|-' ? (lines[j + 1] ?? '').trim() : f[2].replace(/^'(.*)'$/, '$1');
    }
    if (fields.failureType === 'subtestsFailed') continue;
    out.push(`${m[2]} (${fields.location ?? 'no location'}): ${fields.error ?? fields.failureType ?? 'failed'}`);
  }
  return out.length > 0 ? out : ['no failed test in the report (see the output above)'];
}

/** Drops what a test of this run left behind (a server it never cleaned up). */
async function sweep(tag) {
  const { default: pg } = await import('pg');
  const { dropDatabases, TEST_DATABASE_PREFIX, TEST_SERVER_URL: serverUrl } = await import('../dist/src/storage/postgres/temp-store.js');
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  const { rows } = await client.query('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [`${TEST_DATABASE_PREFIX}${tag}_`]);
  await client.end();
  await dropDatabases(serverUrl, rows.map((r) => r.datname));
  if (rows.length > 0) console.log(`# dropped ${rows.length} test database(s) left behind`);
}
