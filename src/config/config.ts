/**
 * One frozen, typed configuration object. `loadConfig(raw)` applies defaults and checks every
 * value (parsers and defaults are in the option table, options.ts); a bad value stops start-up
 * with a message naming the flag and its variable.
 *
 *   const config = loadConfig({ listen: '127.0.0.1:0', dataDir: '/tmp/x' });
 *   startServer(config);
 */
import { ConfigError } from './parsers.js';
import { optionReader, type RawConfig } from './options.js';
import { loadAccountability, type AccountabilityConfig } from './accountability.js';

/** `audit`, `idempotencyTtlMs` and `quotas` come from accountability.ts. */
export interface Config extends AccountabilityConfig {
  readonly listen: { readonly host: string; readonly port: number };
  readonly dataDir: string;
  /** PostgreSQL URL (may hold a password: never log it); unset means SQLite in `dataDir`. */
  readonly database?: string;
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

export function loadConfig(raw: RawConfig): Config {
  // Values are parsed in this order, so with several bad ones the same one is reported first.
  const get = optionReader(raw);
  const certFile = get('tlsCert');
  const keyFile = get('tlsKey');
  if (Boolean(certFile) !== Boolean(keyFile)) {
    throw new ConfigError('--tls-cert and --tls-key must be given together');
  }
  const logLevel = get('logLevel');
  const maxVirtualSize = get('maxVirtualSize');
  const bootstrapToken = get('bootstrapToken');
  const systemFolderId = get('systemFolder');
  const dataDir = get('dataDir');
  const database = get('database');
  return Object.freeze({
    listen: get('listen'),
    dataDir,
    database,
    tls: certFile && keyFile ? Object.freeze({ certFile, keyFile }) : undefined,
    logLevel,
    importer: Object.freeze({
      stallTimeoutMs: get('importTimeoutMs'),
      maxBytes: get('importMaxBytes'),
      maxVirtualSize,
      concurrency: get('importConcurrency'),
    }),
    operationRetentionMs: get('operationRetentionDays') * 86_400_000,
    systemFolderId,
    systemImagesDir: get('systemImagesDir'),
    shutdownGraceMs: get('shutdownGraceMs'),
    bootstrapToken,
    ...loadAccountability(raw, dataDir),
  });
}
