/**
 * The audit, idempotency and quota part of the configuration, read from the same raw flag /
 * environment values as the rest (config.ts calls it). Defaults: events to JSON Lines files
 * under `<data-dir>/audit`, idempotency keys kept 24 hours, no quotas.
 *
 *   const part = loadAccountability({ auditSinks: 'file,webhook', auditWebhookUrl: 'https://...' }, dataDir);
 */
import { resolve } from 'node:path';
import { ConfigError } from './parsers.js';
import { labelOf, optionReader, type RawConfig } from './options.js';

export type AuditSinkName = 'file' | 'stdout' | 'webhook';

export interface AuditConfig {
  readonly sinks: readonly AuditSinkName[];
  /** Where the `file` sink writes. */
  readonly dir: string;
  readonly webhook?: { readonly url: string; readonly token?: string };
  /** Cap of the retry backoff of a failing sink. */
  readonly retryMaxMs: number;
  /** How long delivered events stay in the database outbox. */
  readonly retentionMs: number;
}

export interface AccountabilityConfig {
  readonly audit: AuditConfig;
  readonly idempotencyTtlMs: number;
  /** Per folder; undefined = unlimited. */
  readonly quotas: {
    readonly desktopImages: { readonly count?: number; readonly size?: number };
    /** `--quota-preset cloud-defaults` fills these and the desktop image limits. */
    readonly desktops: {
      readonly desktops?: number; readonly desktopGroups?: number;
      readonly cores?: number; readonly memory?: number; readonly hddBytes?: number; readonly ssdBytes?: number;
    };
    readonly computeImages: { readonly count?: number; readonly size?: number };
  };
}

export function loadAccountability(raw: RawConfig, dataDir: string): AccountabilityConfig {
  const get = optionReader(raw);
  const sinks = get('auditSinks');
  // Checked before the URL itself, as always, so a stray URL is reported as stray.
  if (sinks.includes('webhook') !== Boolean(raw.auditWebhookUrl)) {
    throw new ConfigError(`${labelOf('auditWebhookUrl')} is required with the webhook sink, and only with it (${labelOf('auditSinks')})`);
  }
  const url = get('auditWebhookUrl');
  const preset = get('quotaPreset') === 'cloud-defaults';
  const token = get('auditWebhookToken');
  return Object.freeze({
    audit: Object.freeze({
      sinks,
      dir: get('auditDir') ?? resolve(dataDir, 'audit'),
      ...(url ? { webhook: Object.freeze({ url, ...(token ? { token } : {}) }) } : {}),
      retryMaxMs: get('auditRetryMaxMs'),
      retentionMs: get('auditRetentionDays') * 86_400_000,
    }),
    idempotencyTtlMs: get('idempotencyTtlHours') * 3_600_000,
    quotas: Object.freeze({
      desktopImages: Object.freeze({
        ...(preset ? CLOUD_DEFAULTS.desktopImages : {}),
        // Explicit limits win over the preset's.
        ...optional('count', get('quotaDesktopImagesCount')),
        ...optional('size', get('quotaDesktopImagesSize')),
      }),
      desktops: Object.freeze({
        ...(preset ? CLOUD_DEFAULTS.desktops : {}),
        ...optional('desktops', get('quotaDesktopsCount')),
        ...optional('desktopGroups', get('quotaDesktopGroupsCount')),
      }),
      computeImages: Object.freeze({
        ...optional('count', get('quotaComputeImagesCount')),
        ...optional('size', get('quotaComputeImagesSize')),
      }),
    }),
  });
}

const GIB = 1024 ** 3;

/**
 * The real service's current default quotas (api-conventions 10.3; the real service counts them
 * per cloud, clouddesk per folder, as every quota here).
 */
const CLOUD_DEFAULTS = Object.freeze({
  desktops: Object.freeze({ desktops: 10, cores: 40, memory: 80 * GIB, hddBytes: 600 * GIB, ssdBytes: 600 * GIB }),
  desktopImages: Object.freeze({ count: 8, size: 1024 * GIB }),
});

function optional<K extends string>(key: K, v: number | undefined): Partial<Record<K, number>> {
  return v === undefined ? {} : ({ [key]: v } as Record<K, number>);
}
