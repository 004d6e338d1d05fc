/**
 * Which URLs an image import may fetch, in the spirit of Glance's `[import_filtering_opts]`:
 * allowed and denied schemes, hosts (names or CIDRs) and ports, checked for every hop on the
 * address the name resolved to, which is then the address connected to (no DNS rebinding).
 * Addresses outside the public unicast space (loopback, private, link-local, unique-local,
 * IPv4-mapped IPv6, 0.0.0.0 and ::, multicast, reserved...) are refused unless an allowed CIDR
 * covers them or `allowPrivate` is set; `allowPrivate` also lifts the port list for them.
 *
 *   const policy = new FetchPolicy({ ...DEFAULT_FETCH_RULES, allowPrivate: false });
 *   const target = await policy.resolve(new URL('http://images.example.com/a.qcow2'));
 *   // target.address '203.0.113.7', family 4; throws SourceRefusedError for 127.0.0.1
 */
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

export interface FetchRules {
  readonly allowedSchemes: readonly string[];
  readonly deniedSchemes: readonly string[];
  /** Host names (exact, case-insensitive) or CIDRs; empty: any host. */
  readonly allowedHosts: readonly string[];
  readonly deniedHosts: readonly string[];
  /** Empty: any port. */
  readonly allowedPorts: readonly number[];
  readonly deniedPorts: readonly number[];
  /** Loopback and private destinations on any port: for a local stand-in of a file server. */
  readonly allowPrivate: boolean;
}

export const DEFAULT_FETCH_RULES: FetchRules = Object.freeze({
  allowedSchemes: ['http', 'https'],
  deniedSchemes: [],
  allowedHosts: [],
  deniedHosts: [],
  allowedPorts: [80, 443],
  deniedPorts: [],
  allowPrivate: false,
});

/** A refusal by policy; the caller sees the same message as for any connection failure. */
export class SourceRefusedError extends Error {
  override readonly name = 'SourceRefusedError';
}

export interface ResolvedTarget {
  readonly address: string;
  readonly family: 4 | 6;
}

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];
type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (host) => lookup(host, { all: true, verbatim: true });

export class FetchPolicy {
  private readonly allowedNames: Set<string>;
  private readonly allowedCidrs: Cidr[];
  private readonly deniedNames: Set<string>;
  private readonly deniedCidrs: Cidr[];

  constructor(private readonly rules: FetchRules, private readonly resolver: Resolver = systemResolver) {
    [this.allowedNames, this.allowedCidrs] = splitHosts(rules.allowedHosts);
    [this.deniedNames, this.deniedCidrs] = splitHosts(rules.deniedHosts);
  }

  /**
   * The rules, for a policy rebuilt on another thread (an import's worker), or undefined when
   * this one resolves names with its own resolver, which cannot travel.
   */
  portableRules(): FetchRules | undefined {
    return this.resolver === systemResolver ? this.rules : undefined;
  }

  /** The scheme alone, checkable when the request arrives. */
  schemeAllowed(url: URL): boolean {
    const scheme = url.protocol.replace(/:$/, '');
    return this.rules.allowedSchemes.includes(scheme) && !this.rules.deniedSchemes.includes(scheme);
  }

  /** Resolves the URL's host once and checks scheme, host, every address and the port. */
  async resolve(url: URL): Promise<ResolvedTarget> {
    if (!this.schemeAllowed(url)) throw new SourceRefusedError(`scheme ${url.protocol} is not allowed`);
    const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    if (this.deniedNames.has(host)) throw new SourceRefusedError(`host ${host} is denied`);
    // WHATWG URL has already normalised 2130706433, 0x7f.1, 0177.0.0.1 and 127.1 to 127.0.0.1.
    const literal = ipaddr.isValid(host) ? [{ address: host, family: host.includes(':') ? 6 : 4 }] : undefined;
    const found = literal ?? (await this.resolver(host));
    if (found.length === 0) throw new SourceRefusedError(`host ${host} has no address`);
    // Every address must pass: the connection must not pick a different, unchecked one.
    for (const { address } of found) this.checkAddress(host, address, port);
    const first = found[0]!;
    return { address: first.address, family: first.family === 6 ? 6 : 4 };
  }

  private checkAddress(host: string, address: string, port: number): void {
    const ip = ipaddr.parse(address);
    if (this.deniedCidrs.some((c) => matches(ip, c))) throw new SourceRefusedError(`address ${address} is denied`);
    const inAllowedCidr = this.allowedCidrs.some((c) => matches(ip, c));
    const listed = this.allowedNames.size + this.allowedCidrs.length > 0;
    if (listed && !inAllowedCidr && !this.allowedNames.has(host)) throw new SourceRefusedError(`host ${host} is not allowed`);
    const special = ip.range() !== 'unicast';
    if (special && !inAllowedCidr && !this.rules.allowPrivate) {
      throw new SourceRefusedError(`address ${address} is in the ${ip.range()} range`);
    }
    if (special && this.rules.allowPrivate) return; // any port for a local stand-in
    const { allowedPorts, deniedPorts } = this.rules;
    if (deniedPorts.includes(port) || (allowedPorts.length > 0 && !allowedPorts.includes(port))) {
      throw new SourceRefusedError(`port ${port} is not allowed`);
    }
  }
}

function splitHosts(entries: readonly string[]): [Set<string>, Cidr[]] {
  const names = new Set<string>();
  const cidrs: Cidr[] = [];
  for (const e of entries) {
    if (ipaddr.isValidCIDR(e)) cidrs.push(ipaddr.parseCIDR(e));
    else if (ipaddr.isValid(e)) {
      const ip = ipaddr.parse(e);
      cidrs.push([ip, ip.kind() === 'ipv4' ? 32 : 128]);
    } else names.add(e.toLowerCase());
  }
  return [names, cidrs];
}

/** Kinds must agree: an IPv4-mapped IPv6 address is not matched by an IPv4 CIDR (refused as special). */
function matches(ip: ipaddr.IPv4 | ipaddr.IPv6, [range, bits]: Cidr): boolean {
  return ip.kind() === range.kind() && ip.match(range, bits);
}

/** For option parsing: a host entry is a CIDR, an IP or a DNS name. */
export function isHostEntry(e: string): boolean {
  return ipaddr.isValidCIDR(e) || ipaddr.isValid(e) || /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/i.test(e);
}
