/**
 * Parsers of option text, shared by the option table and the modules that assemble the
 * config. Each turns the text of one flag or variable into a typed value, or throws a
 * ConfigError whose message starts with `label` (`--flag / CLOUDDESK_VAR`).
 *
 *   const concurrency = integer(1, 64)('4', '--import-concurrency / CLOUDDESK_IMPORT_CONCURRENCY'); // 4
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export type Parser<T> = (text: string, label: string) => T;

export const text: Parser<string> = (t) => t;

export const path: Parser<string> = (t) => resolve(t);

/** An empty value counts as unset, e.g. a variable exported as `CLOUDDESK_TLS_CERT=`. */
export function optional<T>(parse: Parser<T>): Parser<T | undefined> {
  return (t, label) => (t === '' ? undefined : parse(t, label));
}

export const listen: Parser<{ host: string; port: number }> = (t, label) => {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(t);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new ConfigError(`${label}: "${t}" is not HOST:PORT`);
  return Object.freeze({ host: m[1] ?? (m[2] || '0.0.0.0'), port });
};

export function integer(min: number, max = Number.MAX_SAFE_INTEGER): Parser<number> {
  return (t, label) => {
    if (!/^\d+$/.test(t)) throw new ConfigError(`${label}: "${t}" is not a whole number`);
    const n = Number(t);
    if (n < min || n > max) throw new ConfigError(`${label}: ${n} is outside ${min}..${max}`);
    return n;
  };
}

/** Like `integer`, with one message for both faults (the wording the audit options have always had). */
export function wholeIn(min: number, max: number): Parser<number> {
  return (t, label) => {
    const n = /^\d+$/.test(t) ? Number(t) : NaN;
    if (!(n >= min && n <= max)) throw new ConfigError(`${label}: "${t}" is not a whole number in ${min}..${max}`);
    return n;
  };
}

/** Sizes beyond 2^53 bytes stay exact. */
export const bigWhole: Parser<bigint> = (t, label) => {
  if (!/^\d+$/.test(t)) throw new ConfigError(`${label}: not a whole number`);
  return BigInt(t);
};

export function oneOf<const T extends string>(values: readonly T[]): Parser<T> {
  return (t, label) => {
    if (!values.includes(t as T)) throw new ConfigError(`${label}: one of ${values.join(', ')}`);
    return t as T;
  };
}

/** A comma list of `values`, each once; `none` anywhere in it means the empty list. */
export function listOf<const T extends string>(values: readonly T[]): Parser<readonly T[]> {
  return (t, label) => {
    const listed = t.split(',').map((s) => s.trim()).filter(Boolean);
    const picked = listed.includes('none') ? [] : [...new Set(listed)];
    for (const s of picked) {
      if (!values.includes(s as T)) throw new ConfigError(`${label}: "${s}" is not one of ${values.join(', ')}, none`);
    }
    return Object.freeze(picked as T[]);
  };
}

/** For secrets too: the message says what is expected and never repeats the value. */
export function matching(pattern: RegExp, expected: string): Parser<string> {
  return (t, label) => {
    if (!pattern.test(t)) throw new ConfigError(`${label}: ${expected}`);
    return t;
  };
}

/** Credentials belong in their own variable, `tokenVariable`, not in a URL that may be logged. */
export function httpUrl(tokenVariable: string): Parser<string> {
  return (t, label) => {
    let parsed: URL | undefined;
    try {
      parsed = new URL(t);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.username || parsed.password) {
      throw new ConfigError(`${label}: an http(s) URL without credentials (use ${tokenVariable})`);
    }
    return t;
  };
}

const UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** Empty or `unlimited` → undefined; else a count, or with `units` bytes with an optional K/M/G/T (powers of 1024). */
export function limit(units: boolean): Parser<number | undefined> {
  return (raw, label) => {
    const t = raw.trim();
    if (t === '' || t === 'unlimited') return undefined;
    const m = (units ? /^(\d+)([KMGT]?)i?B?$/i : /^(\d+)()$/).exec(t);
    if (!m) throw new ConfigError(`${label}: "${t}" is not ${units ? 'a size such as 500G' : 'a whole number'} or "unlimited"`);
    return Number(m[1]) * UNITS[m[2]!.toUpperCase()]!;
  };
}

/** FIRST-LAST, a range of TCP ports, e.g. 33890-33990. */
export const portRange: Parser<{ first: number; last: number }> = (t, label) => {
  const m = /^(\d{1,5})-(\d{1,5})$/.exec(t.trim());
  const [first, last] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!(first >= 1 && first <= last && last <= 65535)) throw new ConfigError(`${label}: "${t}" is not a port range FIRST-LAST within 1..65535`);
  return Object.freeze({ first, last });
};

/** A port range for QEMU's VNC consoles: display N listens on 5900 + N, so none lies below 5900. */
export const vncPortRange: Parser<{ first: number; last: number }> = (t, label) => {
  const range = portRange(t, label);
  if (range.first < 5900) throw new ConfigError(`${label}: "${t}" starts below 5900 (QEMU's VNC display N listens on port 5900+N)`);
  return range;
};

/** A size in bytes with an optional K/M/G/T (powers of 1024); unlike `limit`, never unlimited. */
export const size: Parser<number> = (raw, label) => {
  const n = limit(true)(raw, label);
  if (n === undefined) throw new ConfigError(`${label}: "${raw}" is not a size such as 64M`);
  return n;
};

/** true/false, 1/0, yes/no, on/off. */
export const bool: Parser<boolean> = (t, label) => {
  // A `[bool]` flag given bare arrives from commander as `true`, not as text.
  const v = String(t).trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off', ''].includes(v)) return false;
  throw new ConfigError(`${label}: "${t}" is not true or false`);
};

/** A comma list of items each accepted by `valid`; empty or `none` is the empty list. */
export function itemList(valid: (item: string) => boolean, expected: string): Parser<readonly string[]> {
  return (t, label) => {
    const items = t.split(',').map((s) => s.trim()).filter(Boolean);
    if (items.includes('none')) return Object.freeze([]);
    for (const s of items) if (!valid(s)) throw new ConfigError(`${label}: "${s}" is not ${expected}`);
    return Object.freeze([...new Set(items)]);
  };
}

/** A comma list of TCP ports; empty or `none` is the empty list. */
export const portList: Parser<readonly number[]> = (t, label) =>
  Object.freeze(itemList((s) => /^\d{1,5}$/.test(s) && Number(s) >= 1 && Number(s) <= 65535, 'a port 1..65535')(t, label).map(Number));

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Where blobs live, normalised: an absolute directory path (given as a path or a file:/// URL,
 * e.g. a shared NFS mount), or `s3://bucket[/prefix]` with the prefix's slashes trimmed.
 */
export const blobStoreUrl: Parser<string> = (t, label) => {
  const expected = 'an absolute path, file:///path or s3://bucket/prefix';
  if (t.startsWith('/')) return resolve(t);
  if (t.startsWith('file:')) {
    let dir: string | undefined;
    try {
      dir = fileURLToPath(t);
    } catch {
      dir = undefined;
    }
    if (!dir) throw new ConfigError(`${label}: "${t}" is not a local file:/// URL (${expected})`);
    return dir;
  }
  const m = /^s3:\/\/([^/?#]+)(?:\/([^?#]*))?$/.exec(t);
  if (!m) throw new ConfigError(`${label}: "${t}" is not ${expected}`);
  const bucket = m[1]!;
  if (!BUCKET.test(bucket) || bucket.includes('..')) {
    throw new ConfigError(`${label}: "${bucket}" is not a bucket name (3-63 characters of [a-z0-9.-])`);
  }
  const prefix = (m[2] ?? '').replace(/^\/+|\/+$/g, '');
  const segments = prefix === '' ? [] : prefix.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..') || /[\x00-\x1f\x7f\\]/.test(prefix)) {
    throw new ConfigError(`${label}: the prefix "${prefix}" must be non-empty segments separated by single slashes`);
  }
  return prefix ? `s3://${bucket}/${prefix}` : `s3://${bucket}`;
};

/** A PostgreSQL connection URL; it may hold a password, so a message never repeats it. */
export const postgresUrl: Parser<string> = (t, label) => {
  let parsed: URL | undefined;
  try {
    parsed = new URL(t);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')) {
    throw new ConfigError(`${label}: a postgres://user@host:port/database URL`);
  }
  if (!parsed.hostname && !parsed.searchParams.get('host')) throw new ConfigError(`${label}: the URL names no host`);
  if (parsed.pathname.length <= 1) throw new ConfigError(`${label}: the URL names no database`);
  return t;
};

/** `--metrics`: off, on the API port (`same`), or on a listener of its own. */
export type MetricsMode = { readonly mode: 'off' } | { readonly mode: 'same' } | { readonly mode: 'listen'; readonly host: string; readonly port: number };

export const metricsMode: Parser<MetricsMode> = (t, label) => {
  if (t === 'off' || t === 'same') return Object.freeze({ mode: t });
  if (!/:\d{1,5}$/.test(t)) throw new ConfigError(`${label}: "${t}" is not off, same or HOST:PORT`);
  return Object.freeze({ mode: 'listen', ...listen(t, label) });
};
