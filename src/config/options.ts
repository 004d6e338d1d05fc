/**
 * Every `clouddesk serve` option, once: its flag, environment variable, default, parser and
 * help text. The commander options (cli/serve.ts), the variable names (env.ts) and the typed
 * values that loadConfig assembles all come from this table, so a new option is one entry:
 *
 *   desktopTransitionMs: {
 *     flag: '--desktop-transition-ms <ms>', env: 'CLOUDDESK_DESKTOP_TRANSITION_MS', default: '2000',
 *     parse: integer(0, 600_000), help: 'how long a desktop takes to start or stop',
 *   },
 *   // then, in loadConfig:  transitionMs: get('desktopTransitionMs'),   // a number
 *
 * The key is the flag's long name in camelCase, which is also the property commander fills.
 */
import {
  bigWhole, blobStoreUrl, bool, httpUrl, integer, itemList, limit, listen, listOf, matching, metricsMode, oneOf, optional, path, portList, portRange, postgresUrl, vncPortRange, size, text, wholeIn,
  type Parser,
} from './parsers.js';
import { isHostEntry } from '../blobs/fetch-policy.js';

const schemes = itemList((s) => /^[a-z][a-z0-9+.-]*$/.test(s), 'a URL scheme such as https');
const hosts = itemList(isHostEntry, 'a host name, an IP address or a CIDR');

export interface OptionSpec<T = unknown> {
  /** Commander syntax: `--long-name <arg>`. */
  readonly flag: string;
  readonly env: `CLOUDDESK_${string}`;
  /** Text, as if given on the command line; without one an unset option is `undefined`. */
  readonly default?: string;
  /** Gets the given text, or the default; an empty variable is text too (''). */
  readonly parse: Parser<T>;
  readonly help: string;
}

const WEBHOOK_TOKEN_ENV = 'CLOUDDESK_AUDIT_WEBHOOK_TOKEN';

export const OPTIONS = {
  listen: { flag: '--listen <host:port>', env: 'CLOUDDESK_LISTEN', default: '127.0.0.1:50051', parse: listen, help: 'address to listen on' },
  publicAddress: {
    flag: '--public-address <host:port>', env: 'CLOUDDESK_PUBLIC_ADDRESS',
    parse: optional(matching(/^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'HOST:PORT, e.g. desk.example.com:443')),
    help: 'address endpoint discovery (ApiEndpointService) answers (default: the listen address, or the host the client used)',
  },
  dataDir: {
    flag: '--data-dir <dir>', env: 'CLOUDDESK_DATA_DIR', default: './data', parse: path,
    help: 'where the SQLite database and the blob store live',
  },
  blobStore: {
    flag: '--blob-store <url>', env: 'CLOUDDESK_BLOB_STORE', parse: optional(blobStoreUrl),
    help: 'blob store: an absolute path or file:///path (may be shared, e.g. NFS) or s3://bucket/prefix (default <data-dir>/blobs)',
  },
  s3Endpoint: {
    flag: '--s3-endpoint <url>', env: 'CLOUDDESK_S3_ENDPOINT', parse: optional(httpUrl('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY')),
    help: 'S3-compatible endpoint, e.g. https://storage.yandexcloud.net (path-style addressing; default AWS)',
  },
  s3Region: {
    flag: '--s3-region <region>', env: 'CLOUDDESK_S3_REGION', default: 'ru-central1',
    parse: matching(/^[a-z0-9-]{1,40}$/, '1-40 characters of [a-z0-9-]'), help: 'region of the S3 bucket',
  },
  database: {
    flag: '--database <url>', env: 'CLOUDDESK_DATABASE', parse: optional(postgresUrl),
    help: 'postgres://user@host:port/db to keep data in PostgreSQL (default: SQLite in --data-dir)',
  },
  rowCacheBytes: {
    flag: '--row-cache-bytes <size>', env: 'CLOUDDESK_ROW_CACHE_BYTES', default: '32M', parse: size,
    help: 'memory for the embedded store\'s cache of desktop image rows, e.g. 64M (0: no cache)',
  },
  tlsCert: {
    flag: '--tls-cert <file>', env: 'CLOUDDESK_TLS_CERT', parse: optional(path),
    help: 'PEM certificate: serve TLS instead of plaintext h2c/HTTP',
  },
  tlsKey: { flag: '--tls-key <file>', env: 'CLOUDDESK_TLS_KEY', parse: optional(path), help: 'PEM private key for --tls-cert' },
  logLevel: {
    flag: '--log-level <level>', env: 'CLOUDDESK_LOG_LEVEL', default: 'info',
    parse: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), help: 'fatal, error, warn, info, debug, trace or silent',
  },
  importTimeoutMs: {
    flag: '--import-timeout-ms <ms>', env: 'CLOUDDESK_IMPORT_TIMEOUT_MS', default: '30000', parse: integer(1),
    help: 'abort an image import whose source sends nothing for this long',
  },
  importMaxBytes: {
    flag: '--import-max-bytes <n>', env: 'CLOUDDESK_IMPORT_MAX_BYTES', default: String(64 * 1024 ** 3), parse: integer(1),
    help: 'largest image file an import accepts',
  },
  maxVirtualSize: {
    flag: '--max-virtual-size <n>', env: 'CLOUDDESK_MAX_VIRTUAL_SIZE', default: String(4 * 1024 ** 4), parse: bigWhole,
    help: 'largest virtual disk size (bytes) an image may declare',
  },
  importConcurrency: {
    flag: '--import-concurrency <n>', env: 'CLOUDDESK_IMPORT_CONCURRENCY', default: '4', parse: integer(1, 64),
    help: 'imports that download at the same time',
  },
  // Image imports from URLs (docs/security.md): which sources, and how long they may take.
  trustProxy: {
    flag: '--trust-proxy [bool]', env: 'CLOUDDESK_TRUST_PROXY', default: 'false', parse: bool,
    help: 'take the client address for throttling failed authentication from X-Forwarded-For (only behind a proxy that sets it)',
  },
  authFailureLimit: {
    flag: '--auth-failure-limit <n>', env: 'CLOUDDESK_AUTH_FAILURE_LIMIT', default: '50', parse: integer(0, 1_000_000),
    help: 'failed authentications from one address within 10 s before its failures are answered RESOURCE_EXHAUSTED (0: no throttling)',
  },
  importUrls: {
    flag: '--import-urls [bool]', env: 'CLOUDDESK_IMPORT_URLS', default: 'true', parse: bool,
    help: 'allow Compute images to be imported from http(s) URLs (false: Create with uri is FAILED_PRECONDITION)',
  },
  importAllowPrivate: {
    flag: '--import-allow-private [bool]', env: 'CLOUDDESK_IMPORT_ALLOW_PRIVATE', default: 'false', parse: bool,
    help: 'let imports reach loopback, private and link-local addresses on any port (a local stand-in; never in production)',
  },
  importAllowedSchemes: {
    flag: '--import-allowed-schemes <list>', env: 'CLOUDDESK_IMPORT_ALLOWED_SCHEMES', default: 'http,https', parse: schemes,
    help: 'URL schemes imports may use (of http, https)',
  },
  importDeniedSchemes: {
    flag: '--import-denied-schemes <list>', env: 'CLOUDDESK_IMPORT_DENIED_SCHEMES', default: '', parse: schemes,
    help: 'URL schemes imports may not use (e.g. http)',
  },
  importAllowedHosts: {
    flag: '--import-allowed-hosts <list>', env: 'CLOUDDESK_IMPORT_ALLOWED_HOSTS', default: '', parse: hosts,
    help: 'if set, the only host names and CIDRs imports may fetch from; a CIDR also admits private ranges',
  },
  importDeniedHosts: {
    flag: '--import-denied-hosts <list>', env: 'CLOUDDESK_IMPORT_DENIED_HOSTS', default: '', parse: hosts,
    help: 'host names and CIDRs imports never fetch from',
  },
  importAllowedPorts: {
    flag: '--import-allowed-ports <list>', env: 'CLOUDDESK_IMPORT_ALLOWED_PORTS', default: '80,443', parse: portList,
    help: 'ports imports may connect to (none: any port)',
  },
  importDeniedPorts: {
    flag: '--import-denied-ports <list>', env: 'CLOUDDESK_IMPORT_DENIED_PORTS', default: '', parse: portList,
    help: 'ports imports never connect to',
  },
  importDeadlineMs: {
    flag: '--import-deadline-ms <ms>', env: 'CLOUDDESK_IMPORT_DEADLINE_MS', default: String(6 * 3_600_000), parse: integer(1000),
    help: 'longest a whole image import may take',
  },
  importMinRate: {
    flag: '--import-min-rate <n>', env: 'CLOUDDESK_IMPORT_MIN_RATE', default: '10240', parse: integer(0),
    help: 'fail an import whose source averages fewer bytes per second over a window (0: off)',
  },
  importRateWindowMs: {
    flag: '--import-rate-window-ms <ms>', env: 'CLOUDDESK_IMPORT_RATE_WINDOW_MS', default: '60000', parse: integer(100, 3_600_000),
    help: 'window over which --import-min-rate is averaged',
  },
  importMinFree: {
    flag: '--import-min-free <size>', env: 'CLOUDDESK_IMPORT_MIN_FREE', default: '1G', parse: limit(true),
    help: 'imports fail while the blob directory has less free space than this, e.g. 10G',
  },
  importFolderConcurrency: {
    flag: '--import-folder-concurrency <n>', env: 'CLOUDDESK_IMPORT_FOLDER_CONCURRENCY', default: '2', parse: integer(1, 64),
    help: 'imports of one folder that download at the same time',
  },
  importQueueMax: {
    flag: '--import-queue-max <n>', env: 'CLOUDDESK_IMPORT_QUEUE_MAX', default: '100', parse: integer(0, 100_000),
    help: 'imports that may wait for a slot; beyond it Create with uri is RESOURCE_EXHAUSTED',
  },
  operationRetentionDays: {
    flag: '--operation-retention-days <n>', env: 'CLOUDDESK_OPERATION_RETENTION_DAYS', default: '30', parse: integer(1, 3650),
    help: 'days finished operations are kept',
  },
  systemFolder: {
    flag: '--system-folder <id>', env: 'CLOUDDESK_SYSTEM_FOLDER', default: 'standard-images',
    parse: matching(/^[a-z0-9-]{1,50}$/, '1-50 characters of [a-z0-9-]'), help: 'folder that holds system images (read-only)',
  },
  systemImagesDir: {
    flag: '--system-images-dir <dir>', env: 'CLOUDDESK_SYSTEM_IMAGES_DIR', parse: optional(path),
    help: 'seed each qcow2/raw file here as a system image at start-up',
  },
  bootstrapToken: {
    flag: '--bootstrap-token <token>', env: 'CLOUDDESK_BOOTSTRAP_TOKEN',
    // Empty means unset: then the token file is used.
    parse: optional(matching(/^[\x21-\x7e]{16,4096}$/, '16-4096 printable ASCII characters without spaces')),
    help: 'admin credential (prefer the variable; default: generated into <data-dir>/bootstrap-token)',
  },
  shutdownGraceMs: {
    flag: '--shutdown-grace-ms <ms>', env: 'CLOUDDESK_SHUTDOWN_GRACE_MS', default: '10000', parse: integer(0, 600_000),
    help: 'how long in-flight calls may finish on shutdown',
  },
  operationLeaseMs: {
    flag: '--operation-lease-ms <ms>', env: 'CLOUDDESK_OPERATION_LEASE_MS', default: '15000', parse: integer(1000, 600_000),
    help: 'how soon another replica takes over the operations of one that died',
  },
  auditSinks: {
    flag: '--audit-sinks <list>', env: 'CLOUDDESK_AUDIT_SINKS', default: 'file', parse: listOf(['file', 'stdout', 'webhook']),
    help: 'where audit events go: file, stdout, webhook (comma-separated) or none',
  },
  // No `optional`: an empty value has always meant the working directory.
  auditDir: { flag: '--audit-dir <dir>', env: 'CLOUDDESK_AUDIT_DIR', parse: path, help: 'directory of the file sink (default <data-dir>/audit)' },
  auditWebhookUrl: {
    flag: '--audit-webhook-url <url>', env: 'CLOUDDESK_AUDIT_WEBHOOK_URL', parse: optional(httpUrl(WEBHOOK_TOKEN_ENV)),
    help: 'http(s) endpoint the webhook sink POSTs event batches to',
  },
  auditWebhookToken: {
    flag: '--audit-webhook-token <token>', env: WEBHOOK_TOKEN_ENV, parse: optional(text),
    help: 'bearer token for the webhook (prefer the variable)',
  },
  auditRetryMaxMs: {
    flag: '--audit-retry-max-ms <ms>', env: 'CLOUDDESK_AUDIT_RETRY_MAX_MS', default: '30000', parse: wholeIn(100, 3_600_000),
    help: 'longest wait between retries of a failing audit sink',
  },
  auditRetentionDays: {
    flag: '--audit-retention-days <n>', env: 'CLOUDDESK_AUDIT_RETENTION_DAYS', default: '7', parse: wholeIn(1, 3650),
    help: 'days delivered audit events stay in the database',
  },
  idempotencyTtlHours: {
    flag: '--idempotency-ttl-hours <n>', env: 'CLOUDDESK_IDEMPOTENCY_TTL_HOURS', default: '24', parse: wholeIn(1, 8760),
    help: 'hours an idempotency key is remembered',
  },
  quotaDesktopImagesCount: {
    flag: '--quota-desktop-images-count <n>', env: 'CLOUDDESK_QUOTA_DESKTOP_IMAGES_COUNT', parse: limit(false),
    help: 'desktop images per folder (default unlimited)',
  },
  quotaDesktopImagesSize: {
    flag: '--quota-desktop-images-size <size>', env: 'CLOUDDESK_QUOTA_DESKTOP_IMAGES_SIZE', parse: limit(true),
    help: 'total storage_size of desktop images per folder, e.g. 1T (default unlimited)',
  },
  quotaDesktopsCount: {
    flag: '--quota-desktops-count <n>', env: 'CLOUDDESK_QUOTA_DESKTOPS_COUNT', parse: limit(false),
    help: 'desktops per folder (default unlimited)',
  },
  quotaDesktopGroupsCount: {
    flag: '--quota-desktop-groups-count <n>', env: 'CLOUDDESK_QUOTA_DESKTOP_GROUPS_COUNT', parse: limit(false),
    help: 'desktop groups per folder (default unlimited)',
  },
  desktopRuntime: {
    flag: '--desktop-runtime <name>', env: 'CLOUDDESK_DESKTOP_RUNTIME', default: 'simulated', parse: oneOf(['simulated', 'qemu']),
    help: 'what runs desktops: simulated (boots nothing, needs nothing installed) or qemu (qemu-system-x86_64 and qemu-img)',
  },
  desktopStopTimeoutMs: {
    flag: '--desktop-stop-timeout-ms <ms>', env: 'CLOUDDESK_DESKTOP_STOP_TIMEOUT_MS', default: '60000', parse: integer(0, 3_600_000),
    help: 'qemu: how long Stop waits for the guest to power down (ACPI) before powering it off',
  },
  desktopRdpPorts: {
    flag: '--desktop-rdp-ports <first-last>', env: 'CLOUDDESK_DESKTOP_RDP_PORTS', default: '33890-33990', parse: portRange,
    help: "qemu: loopback ports forwarded to the desktops' RDP port 3389, one per desktop",
  },
  desktopVncPorts: {
    flag: '--desktop-vnc-ports <first-last>', env: 'CLOUDDESK_DESKTOP_VNC_PORTS', default: '35900-36000', parse: vncPortRange,
    help: "qemu: loopback ports of the desktops' VNC consoles (no password: loopback only), one per desktop, 5900 or above",
  },
  desktopAccel: {
    flag: '--desktop-accel <mode>', env: 'CLOUDDESK_DESKTOP_ACCEL', default: 'auto', parse: oneOf(['auto', 'kvm', 'tcg']),
    help: 'qemu: kvm, tcg (emulation), or auto (kvm when /dev/kvm is usable)',
  },
  desktopImageCacheSize: {
    flag: '--desktop-image-cache-size <size>', env: 'CLOUDDESK_DESKTOP_IMAGE_CACHE_SIZE', default: '50G', parse: limit(true),
    help: 'qemu with an s3:// blob store: local copies of base images kept, e.g. 50G (least recently used go first)',
  },
  desktopTransitionMs: {
    flag: '--desktop-transition-ms <ms>', env: 'CLOUDDESK_DESKTOP_TRANSITION_MS', default: '500', parse: integer(0, 600_000),
    help: 'how long each desktop transition takes in the simulated runtime (create, start, stop, restart, capture)',
  },
  desktopRdpHost: {
    flag: '--desktop-rdp-host <host>', env: 'CLOUDDESK_DESKTOP_RDP_HOST', parse: optional(text),
    help: 'address RDP files name (default: the listen host); the port is 3389 (qemu: the forwarded port)',
  },
  quotaComputeImagesCount: {
    flag: '--quota-compute-images-count <n>', env: 'CLOUDDESK_QUOTA_COMPUTE_IMAGES_COUNT', parse: limit(false),
    help: 'Compute images per folder (default unlimited)',
  },
  quotaComputeImagesSize: {
    flag: '--quota-compute-images-size <size>', env: 'CLOUDDESK_QUOTA_COMPUTE_IMAGES_SIZE', parse: limit(true),
    help: 'total storage_size of Compute images per folder, e.g. 1T (default unlimited)',
  },
  metrics: {
    flag: '--metrics <where>', env: 'CLOUDDESK_METRICS', default: 'same', parse: metricsMode,
    help: 'Prometheus /metrics: same (the API port), off, or HOST:PORT of a listener of its own',
  },
  emulator: {
    flag: '--emulator [bool]', env: 'CLOUDDESK_EMULATOR', default: 'false', parse: bool,
    help: 'serve the test controls under /_clouddesk/ (reset, faults, state); they need the bootstrap credential',
  },
  quotaPreset: {
    flag: '--quota-preset <name>', env: 'CLOUDDESK_QUOTA_PRESET', parse: optional(oneOf(['cloud-defaults'])),
    help: "cloud-defaults: the real service's default quotas, per folder (10 desktops, 40 vCPU, 80 GB RAM, 600 GB HDD, 600 GB SSD, 8 desktop images of 1 TB in all)",
  },
} as const satisfies Record<string, OptionSpec>;

type Options = typeof OPTIONS;
export type OptionKey = keyof Options;
/** What commander (or a test) hands to loadConfig: option key → text. */
export type RawConfig = Partial<Record<OptionKey, string>>;
export type OptionValue<K extends OptionKey> =
  | ReturnType<Options[K]['parse']>
  | (Options[K] extends { readonly default: string } ? never : undefined);

/** `--audit-sinks / CLOUDDESK_AUDIT_SINKS`: how messages name an option, both ways to set it. */
export function labelOf(key: OptionKey): string {
  const spec: OptionSpec = OPTIONS[key];
  return `${spec.flag.split(' ')[0]} / ${spec.env}`;
}

/**
 * Typed values of `raw`: the text (else the default) through the entry's parser. Each is parsed
 * when asked for, so the caller's order decides which of several bad values is reported.
 */
export function optionReader(raw: RawConfig): <K extends OptionKey>(key: K) => OptionValue<K> {
  return (key) => {
    const spec: OptionSpec = OPTIONS[key];
    const t = raw[key] ?? spec.default;
    return (t === undefined ? undefined : spec.parse(t, labelOf(key))) as OptionValue<typeof key>;
  };
}
