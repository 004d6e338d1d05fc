/**
 * One frozen, typed configuration object. `loadConfig(raw)` applies defaults and checks every
 * value (parsers and defaults are in the option table, options.ts); a bad value stops start-up
 * with a message naming the flag and its variable.
 *
 *   const config = loadConfig({ listen: '127.0.0.1:0', dataDir: '/tmp/x' });
 *   startServer(config);
 */
import { ConfigError, type MetricsMode } from './parsers.js';
import { labelOf, optionReader, type RawConfig } from './options.js';
import { loadAccountability, type AccountabilityConfig } from './accountability.js';
import { loadImports, type ImportConfig } from './imports.js';

/** `audit`, `idempotencyTtlMs` and `quotas` come from accountability.ts. */
export interface Config extends AccountabilityConfig {
  readonly listen: { readonly host: string; readonly port: number };
  /** What ApiEndpointService answers; unset: the listen address or the client's `:authority`. */
  readonly publicAddress?: string;
  readonly dataDir: string;
  /** The client address (throttling) from X-Forwarded-For. */
  readonly trustProxy: boolean;
  /** Failed authentications per address within 10 s before a penalty; 0: none. */
  readonly authFailureLimit: number;
  /** Normalised `--blob-store`: an absolute directory or `s3://bucket[/prefix]`; unset: `<dataDir>/blobs`. */
  readonly blobStore?: string;
  readonly s3: { readonly endpoint?: string; readonly region: string };
  /** PostgreSQL URL (may hold a password: never log it); unset means SQLite in `dataDir`. */
  readonly database?: string;
  /** Bytes the embedded store may hold in its row cache. */
  readonly rowCacheBytes: number;
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** From imports.ts. */
  readonly importer: ImportConfig;
  readonly operationRetentionMs: number;
  readonly systemFolderId: string;
  /** Image files seeded as system images at start-up. */
  readonly systemImagesDir?: string;
  readonly shutdownGraceMs: number;
  /** A replica's hold on the operations it runs; another takes them over this long after it dies. */
  readonly operationLeaseMs: number;
  /**
   * The bootstrap credential (docs/decisions.md point 6). Unset: generated on first start into
   * `<dataDir>/bootstrap-token` (mode 0600). A secret: never log the config object.
   */
  readonly bootstrapToken?: string;
  /** Where Prometheus `/metrics` is served. */
  readonly metrics: MetricsMode;
  /** Test controls under `/_clouddesk/` (reset, faults, state). */
  readonly emulator: boolean;
  /** How desktops run (docs/decisions.md point 20). */
  readonly desktops: {
    readonly runtime: 'simulated' | 'qemu';
    readonly transitionMs: number;
    /** The address RDP files name. */
    readonly rdpHost: string;
    readonly stopTimeoutMs: number;
    readonly rdpPorts: { readonly first: number; readonly last: number };
    /** Loopback ports of the VNC consoles (QEMU display = port - 5900); never overlapping rdpPorts. */
    readonly vncPorts: { readonly first: number; readonly last: number };
    readonly accel: 'auto' | 'kvm' | 'tcg';
    /** Bytes of base images cached locally when blobs are remote; undefined: unbounded. */
    readonly imageCacheBytes: number | undefined;
  };
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
  get('maxVirtualSize'); // reported before the token and the folder, as before
  const bootstrapToken = get('bootstrapToken');
  const systemFolderId = get('systemFolder');
  const dataDir = get('dataDir');
  const blobStore = get('blobStore');
  const s3 = Object.freeze({ endpoint: get('s3Endpoint'), region: get('s3Region') });
  if (s3.endpoint && !blobStore?.startsWith('s3://')) {
    throw new ConfigError(`${labelOf('s3Endpoint')}: only with an s3:// ${labelOf('blobStore')}`);
  }
  const database = get('database');
  const rdpPorts = get('desktopRdpPorts');
  const vncPorts = get('desktopVncPorts');
  if (vncPorts.first <= rdpPorts.last && rdpPorts.first <= vncPorts.last) {
    throw new ConfigError(`${labelOf('desktopVncPorts')}: ${vncPorts.first}-${vncPorts.last} overlaps ${labelOf('desktopRdpPorts')} ${rdpPorts.first}-${rdpPorts.last}`);
  }
  return Object.freeze({
    listen: get('listen'),
    publicAddress: get('publicAddress'),
    dataDir,
    trustProxy: get('trustProxy'),
    authFailureLimit: get('authFailureLimit'),
    blobStore,
    s3,
    database,
    rowCacheBytes: get('rowCacheBytes'),
    tls: certFile && keyFile ? Object.freeze({ certFile, keyFile }) : undefined,
    logLevel,
    importer: loadImports(raw),
    operationRetentionMs: get('operationRetentionDays') * 86_400_000,
    systemFolderId,
    systemImagesDir: get('systemImagesDir'),
    shutdownGraceMs: get('shutdownGraceMs'),
    operationLeaseMs: get('operationLeaseMs'),
    bootstrapToken,
    metrics: get('metrics'),
    emulator: get('emulator'),
    desktops: Object.freeze({
      runtime: get('desktopRuntime'),
      transitionMs: get('desktopTransitionMs'),
      rdpHost: get('desktopRdpHost') ?? rdpHostOf(get('listen').host),
      stopTimeoutMs: get('desktopStopTimeoutMs'),
      rdpPorts,
      vncPorts,
      accel: get('desktopAccel'),
      imageCacheBytes: get('desktopImageCacheSize'),
    }),
    ...loadAccountability(raw, dataDir),
  });
}

/** RDP files name the listen host; a wildcard address names this machine's loopback instead. */
function rdpHostOf(listenHost: string): string {
  return listenHost === '0.0.0.0' || listenHost === '::' || listenHost === '' ? '127.0.0.1' : listenHost;
}
