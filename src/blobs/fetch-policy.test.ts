import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_FETCH_RULES, FetchPolicy, SourceRefusedError, type FetchRules } from './fetch-policy.js';

/** A resolver that knows a few names; the policy must check what it returns, not the name. */
const DNS: Record<string, string[]> = {
  'images.example.com': ['93.184.215.14'],
  'rebind.example.com': ['93.184.215.15', '127.0.0.1'],
  'metadata.example.com': ['169.254.169.254'],
  'v6.example.com': ['2a00:1450:4001::1'],
  localhost: ['127.0.0.1', '::1'],
};
const resolver = async (host: string) => {
  const found = DNS[host];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};
const policy = (rules: Partial<FetchRules> = {}) => new FetchPolicy({ ...DEFAULT_FETCH_RULES, ...rules }, resolver);
const refused = (p: FetchPolicy, url: string) => assert.rejects(p.resolve(new URL(url)), SourceRefusedError, url);

describe('FetchPolicy', () => {
  it('fetches a public address on 80 or 443 and connects to the address it checked', async () => {
    assert.deepEqual(await policy().resolve(new URL('https://images.example.com/a.qcow2')), { address: '93.184.215.14', family: 4 });
    assert.deepEqual(await policy().resolve(new URL('http://8.8.8.8/a')), { address: '8.8.8.8', family: 4 });
  });

  it('refuses 127.0.0.1 in every spelling the URL parser accepts', async () => {
    const spellings = [
      'http://127.0.0.1/', 'http://2130706433/', 'http://0177.0.0.1/', 'http://0x7f.1/', 'http://127.1/', 'http://0/',
      'http://0x7f000001/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://[::ffff:7f00:1]/', 'http://localhost/',
      'http://LOCALHOST./', 'http://[::]/', 'http://0.0.0.0/',
    ];
    for (const url of spellings) await refused(policy(), url);
    // What the parser made of them: the policy sees normalised hosts.
    assert.equal(new URL('http://0x7f.1/').hostname, '127.0.0.1');
    assert.equal(new URL('http://2130706433/').hostname, '127.0.0.1');
    assert.equal(new URL('http://0177.0.0.1/').hostname, '127.0.0.1');
    assert.equal(new URL('http://0/').hostname, '0.0.0.0');
  });

  it('refuses private, link-local (metadata), unique-local, CGNAT, multicast and IPv4-mapped addresses', async () => {
    for (const url of [
      'http://10.1.2.3/', 'http://172.16.0.1/', 'http://192.168.1.1/', 'http://169.254.169.254/latest/meta-data/',
      'http://metadata.example.com/', 'http://[fe80::1]/', 'http://[fd00::1]/', 'http://100.64.0.1/', 'http://224.0.0.1/',
      'http://[ff02::1]/', 'http://[::ffff:10.0.0.1]/', 'http://255.255.255.255/',
    ]) await refused(policy(), url);
  });

  it('refuses a name when any of its addresses is refused (no picking the good one)', async () => {
    await refused(policy(), 'http://rebind.example.com/');
  });

  it('refuses ports outside the list, and denied ports', async () => {
    await refused(policy(), 'http://images.example.com:8080/');
    await refused(policy({ allowedPorts: [], deniedPorts: [443] }), 'https://images.example.com/');
    assert.ok(await policy({ allowedPorts: [] }).resolve(new URL('http://images.example.com:8080/')));
  });

  it('refuses denied schemes, hosts and CIDRs; with an allow list, anything else', async () => {
    await refused(policy({ deniedSchemes: ['http'] }), 'http://images.example.com/');
    await refused(policy({ deniedHosts: ['images.example.com'] }), 'http://images.example.com/');
    await refused(policy({ deniedHosts: ['93.184.215.0/24'] }), 'http://images.example.com/');
    await refused(policy({ allowedHosts: ['other.example.com'] }), 'http://images.example.com/');
    assert.ok(await policy({ allowedHosts: ['images.example.com'] }).resolve(new URL('http://images.example.com/')));
    assert.ok(await policy({ allowedHosts: ['2a00:1450::/32'] }).resolve(new URL('http://v6.example.com/')));
  });

  it('lets an operator admit a private range by CIDR, still on allowed ports only', async () => {
    const p = policy({ allowedHosts: ['10.0.0.0/8'] });
    assert.deepEqual(await p.resolve(new URL('http://10.1.2.3/')), { address: '10.1.2.3', family: 4 });
    await refused(p, 'http://10.1.2.3:8080/');
    await refused(p, 'http://192.168.1.1/');
    // A name in the allow list does not admit a private address it resolves to.
    await refused(policy({ allowedHosts: ['localhost'] }), 'http://localhost/');
  });

  it('with allowPrivate, admits loopback on any port (the local stand-in)', async () => {
    const p = policy({ allowPrivate: true });
    assert.deepEqual(await p.resolve(new URL('http://127.0.0.1:9000/')), { address: '127.0.0.1', family: 4 });
    assert.deepEqual(await p.resolve(new URL('http://[::1]:9000/')), { address: '::1', family: 6 });
    await refused(p, 'http://images.example.com:9000/'); // public addresses keep the port list
  });
});
