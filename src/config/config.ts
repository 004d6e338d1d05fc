/**
 * One frozen, typed configuration object. `loadConfig(raw)` applies defaults and checks every
 * value; a bad value stops start-up with a message naming the flag and its variable.
 *
 *   const config = loadConfig({ listen: '127.0.0.1:0', dataDir: '/tmp/x' });
 *   startServer(config);
 */
import { resolve } from 'node:path';
import { ENV, type EnvKey } from './env.js';
import { loadAccountability, type AccountabilityConfig } from './accountability.js';

/** `audit`, `idempotencyTtlMs` and `quotas` come from accountability.ts. */
export interface Config extends AccountabilityConfig {
  readonly listen: { readonly host: string; readonly port: number };
  readonly dataDir: string;
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly importer: {
    readonly stallTimeoutMs: number;
    readonly maxBytes: number;
    readonly maxVirtualSize: bigint;
    readonly concurrency: number;
  };
  readonly operationRetentionMs: number;
  readonly systemFolderId: string;
  /** Image files seeded as system images at start-up. */
  readonly systemImagesDir?: string;
  readonly shutdownGraceMs: number;
  /**
   * The bootstrap credential (decisions.md point 6). Unset: generated on first start into
   * `<dataDir>/bootstrap-token` (mode 0600). A secret: never log the config object.
   */
  readonly bootstrapToken?: string;
}

export type RawConfig = Partial<Record<EnvKey, string>>;

export const DEFAULTS = {
  listen: '127.0.0.1:50051',
  dataDir: './data',
  logLevel: 'info',
  importTimeoutMs: '30000',
  importMaxBytes: String(64 * 1024 ** 3),
  maxVirtualSize: String(4 * 1024 ** 4),
  importConcurrency: '4',
  operationRetentionDays: '30',
  systemFolder: 'standard-images',
  shutdownGraceMs: '10000',
} as const satisfies RawConfig;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function flagOf(key: EnvKey): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} / ${ENV[key]}`;
}

function integer(raw: RawConfig, key: EnvKey, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const text = raw[key] ?? (DEFAULTS as RawConfig)[key] ?? '';
  if (!/^\d+$/.test(text)) throw new ConfigError(`${flagOf(key)}: "${text}" is not a whole number`);
  const n = Number(text);
  if (n < min || n > max) throw new ConfigError(`${flagOf(key)}: ${n} is outside ${min}..${max}`);
  return n;
}

export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new ConfigError(`--listen / ${ENV.listen}: "${text}" is not HOST:PORT`);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

export function loadConfig(raw: RawConfig): Config {
  const tlsCert = raw.tlsCert;
  const tlsKey = raw.tlsKey;
  if (Boolean(tlsCert) !== Boolean(tlsKey)) {
    throw new ConfigError('--tls-cert and --tls-key must be given together');
  }
  const logLevel = raw.logLevel ?? DEFAULTS.logLevel;
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (!levels.includes(logLevel)) throw new ConfigError(`${flagOf('logLevel')}: one of ${levels.join(', ')}`);
  const maxVirtualText = raw.maxVirtualSize ?? DEFAULTS.maxVirtualSize;
  if (!/^\d+$/.test(maxVirtualText)) throw new ConfigError(`${flagOf('maxVirtualSize')}: not a whole number`);
  // An empty variable counts as unset (then the token file is used).
  const bootstrapToken = raw.bootstrapToken === '' ? undefined : raw.bootstrapToken;
  if (bootstrapToken !== undefined && !/^[\x21-\x7e]{16,4096}$/.test(bootstrapToken)) {
    // The value itself is never echoed.
    throw new ConfigError(`${flagOf('bootstrapToken')}: 16-4096 printable ASCII characters without spaces`);
  }
  const systemFolderId = raw.systemFolder ?? DEFAULTS.systemFolder;
  if (!/^[a-z0-9-]{1,50}$/.test(systemFolderId)) {
    throw new ConfigError(`${flagOf('systemFolder')}: 1-50 characters of [a-z0-9-]`);
  }
  return Object.freeze({
    listen: Object.freeze(parseListen(raw.listen ?? DEFAULTS.listen)),
    dataDir: resolve(raw.dataDir ?? DEFAULTS.dataDir),
    tls: tlsCert && tlsKey ? Object.freeze({ certFile: resolve(tlsCert), keyFile: resolve(tlsKey) }) : undefined,
    logLevel: logLevel as Config['logLevel'],
    importer: Object.freeze({
      stallTimeoutMs: integer(raw, 'importTimeoutMs', 1),
      maxBytes: integer(raw, 'importMaxBytes', 1),
      maxVirtualSize: BigInt(maxVirtualText),
      concurrency: integer(raw, 'importConcurrency', 1, 64),
    }),
    operationRetentionMs: integer(raw, 'operationRetentionDays', 1, 3650) * 86_400_000,
    systemFolderId,
    systemImagesDir: raw.systemImagesDir ? resolve(raw.systemImagesDir) : undefined,
    shutdownGraceMs: integer(raw, 'shutdownGraceMs', 0, 600_000),
    bootstrapToken,
    ...loadAccountability(raw, resolve(raw.dataDir ?? DEFAULTS.dataDir)),
  });
}
