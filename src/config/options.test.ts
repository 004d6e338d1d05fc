import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OPTIONS, labelOf, optionReader, type OptionKey, type OptionSpec } from './options.js';
import { ENV } from './env.js';
import { loadConfig } from './config.js';
import { serveCommand } from '../cli/serve.js';

const entries = Object.entries(OPTIONS) as [OptionKey, OptionSpec][];

describe('option table', () => {
  it('gives every option its own flag and variable, all CLOUDDESK_*', () => {
    const flags = entries.map(([, s]) => s.flag.split(' ')[0]);
    assert.equal(new Set(flags).size, flags.length, 'duplicate flag');
    // The `clouddesk iam` variables share the namespace, so they count too.
    const variables = Object.values(ENV);
    assert.equal(new Set(variables).size, variables.length, 'duplicate variable');
    for (const v of variables) assert.match(v, /^CLOUDDESK_[A-Z0-9_]+$/);
    // Switches take an optional value: `--import-urls`, `--import-urls=false`.
    for (const [, s] of entries) assert.match(s.flag, /^--[a-z0-9-]+ (<[a-z:-]+>|\[bool\])$/);
  });

  it('parses every default', () => {
    const get = optionReader({});
    for (const [key, spec] of entries) {
      if (spec.default !== undefined) assert.doesNotThrow(() => get(key), key);
    }
    assert.doesNotThrow(() => loadConfig({}));
  });

  it('names an option by its flag and variable in messages', () => {
    assert.equal(labelOf('importTimeoutMs'), '--import-timeout-ms / CLOUDDESK_IMPORT_TIMEOUT_MS');
    const message = /^ConfigError: --import-concurrency \/ CLOUDDESK_IMPORT_CONCURRENCY: 65 is outside 1\.\.64$/;
    assert.throws(() => loadConfig({ importConcurrency: '65' }), message);
  });

  it('builds every commander option of `serve`, with its variable and default', () => {
    const options = serveCommand().options;
    assert.equal(options.length, entries.length);
    for (const [key, spec] of entries) {
      const o = options.find((x) => x.long === spec.flag.split(' ')[0]);
      assert.ok(o, `${spec.flag} is missing`);
      // The table key is the property commander fills, which loadConfig reads.
      assert.equal(o.attributeName(), key);
      assert.equal(o.envVar, spec.env);
      assert.equal(o.defaultValue, spec.default);
      assert.equal(o.description, spec.help);
    }
  });

  it('takes flag over variable over default when commander parses', () => {
    const opts = parseServe(['--import-concurrency', '2'], {
      CLOUDDESK_IMPORT_CONCURRENCY: '8', CLOUDDESK_SYSTEM_FOLDER: 'from-env', CLOUDDESK_LISTEN: undefined,
    });
    assert.equal(opts['importConcurrency'], '2');
    assert.equal(opts['systemFolder'], 'from-env');
    assert.equal(opts['listen'], OPTIONS.listen.default);
    assert.equal(loadConfig(opts).importer.concurrency, 2);
  });

  it('reads the import switches bare, with a value, or from the variable', () => {
    const urls = (argv: string[], env: Record<string, string | undefined> = {}) =>
      loadConfig(parseServe(argv, { CLOUDDESK_IMPORT_ALLOW_PRIVATE: undefined, CLOUDDESK_IMPORT_URLS: undefined, ...env })).importer;
    assert.deepEqual([urls([]).urlsEnabled, urls([]).rules.allowPrivate], [true, false]);
    assert.equal(urls(['--import-urls=false']).urlsEnabled, false);
    assert.equal(urls(['--import-allow-private']).rules.allowPrivate, true);
    assert.equal(urls([], { CLOUDDESK_IMPORT_ALLOW_PRIVATE: '1' }).rules.allowPrivate, true);
    assert.throws(() => loadConfig({ importAllowPrivate: 'maybe' }), /--import-allow-private \/ CLOUDDESK_IMPORT_ALLOW_PRIVATE: "maybe" is not true or false/);
  });

  it('reads the import policy lists, refusing what is not a host, a CIDR or a port', () => {
    const { rules, transfer } = loadConfig({
      importAllowedHosts: 'images.example.com, 10.0.0.0/8,2001:db8::/32', importAllowedPorts: 'none', importDeniedPorts: '22,25',
      importMinFree: '10G',
    }).importer;
    assert.deepEqual(rules.allowedHosts, ['images.example.com', '10.0.0.0/8', '2001:db8::/32']);
    assert.deepEqual([rules.allowedPorts, rules.deniedPorts, rules.allowedSchemes], [[], [22, 25], ['http', 'https']]);
    assert.equal(transfer.minFreeBytes, 10 * 1024 ** 3);
    assert.throws(() => loadConfig({ importDeniedHosts: 'bad host!' }), /"bad host!" is not a host name, an IP address or a CIDR/);
    assert.throws(() => loadConfig({ importAllowedPorts: '80,70000' }), /"70000" is not a port 1\.\.65535/);
  });

  it('takes a postgres:// or postgresql:// --database, and names the option for a bad one without repeating it', () => {
    assert.equal(loadConfig({}).database, undefined);
    assert.equal(loadConfig({ database: '' }).database, undefined);
    for (const url of ['postgres://u@127.0.0.1:5432/clouddesk', 'postgresql://u:secret@db.internal/cd?sslmode=require']) {
      assert.equal(loadConfig({ database: url }).database, url);
    }
    const cases: [string, RegExp][] = [
      ['mysql://u:hunter2@h/db', /^--database \/ CLOUDDESK_DATABASE: a postgres:\/\/user@host:port\/database URL$/],
      ['postgres://u:hunter2@h:99999/db', /^--database \/ CLOUDDESK_DATABASE: a postgres:/],
      ['postgres://u:hunter2@h:5432', /^--database \/ CLOUDDESK_DATABASE: the URL names no database$/],
      ['not a url hunter2', /^--database \/ CLOUDDESK_DATABASE: a postgres:/],
    ];
    for (const [url, message] of cases) {
      assert.throws(() => loadConfig({ database: url }), (err: Error) => err.name === 'ConfigError' && message.test(err.message) && !err.message.includes('hunter2'));
    }
  });
});

describe('desktop port ranges', () => {
  it('takes a VNC range of 5900 and above that does not overlap the RDP range', () => {
    assert.deepEqual(loadConfig({}).desktops.vncPorts, { first: 35900, last: 36000 });
    assert.deepEqual(loadConfig({ desktopVncPorts: '5900-5901' }).desktops.vncPorts, { first: 5900, last: 5901 });
    const bad: [Record<string, string>, RegExp][] = [
      [{ desktopVncPorts: '5899-5910' }, /^--desktop-vnc-ports \/ CLOUDDESK_DESKTOP_VNC_PORTS: "5899-5910" starts below 5900 \(QEMU's VNC display N listens on port 5900\+N\)$/],
      [{ desktopVncPorts: '6000-5999' }, /^--desktop-vnc-ports \/ CLOUDDESK_DESKTOP_VNC_PORTS: "6000-5999" is not a port range FIRST-LAST within 1\.\.65535$/],
      [{ desktopVncPorts: '33900-34000' }, /^--desktop-vnc-ports \/ CLOUDDESK_DESKTOP_VNC_PORTS: 33900-34000 overlaps --desktop-rdp-ports \/ CLOUDDESK_DESKTOP_RDP_PORTS 33890-33990$/],
      [{ desktopRdpPorts: '36000-36010' }, /overlaps --desktop-rdp-ports \/ CLOUDDESK_DESKTOP_RDP_PORTS 36000-36010$/],
    ];
    for (const [raw, message] of bad) assert.throws(() => loadConfig(raw), (err: Error) => err.name === 'ConfigError' && message.test(err.message), JSON.stringify(raw));
  });
});

/** Commander reads process.env itself, so the variables are set for the parse and put back. */
function parseServe(argv: string[], env: Record<string, string | undefined>): Record<string, string> {
  const saved = Object.keys(env).map((k) => [k, process.env[k]] as const);
  const set = (k: string, v: string | undefined) => (v === undefined ? delete process.env[k] : (process.env[k] = v));
  for (const [k, v] of Object.entries(env)) set(k, v);
  try {
    return serveCommand().action(() => {}).parse(argv, { from: 'user' }).opts();
  } finally {
    for (const [k, v] of saved) set(k, v);
  }
}
