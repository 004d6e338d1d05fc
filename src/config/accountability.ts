/**
 * The audit, idempotency and quota part of the configuration, read from the same raw flag /
 * environment values as the rest (config.ts calls it). Defaults: events to JSON Lines files
 * under `<data-dir>/audit`, idempotency keys kept 24 hours, no quotas.
 *
 *   const part = loadAccountability({ auditSinks: 'file,webhook', auditWebhookUrl: 'https://...' }, dataDir);
 */
import { join, resolve } from 'node:path';
import { ENV, type EnvKey } from './env.js';
import { ConfigError, type RawConfig } from './config.js';

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
  readonly quotas: { readonly desktopImages: { readonly count?: number; readonly size?: number } };
}

export const ACCOUNTABILITY_DEFAULTS = {
  auditSinks: 'file',
  auditRetryMaxMs: '30000',
  auditRetentionDays: '7',
  idempotencyTtlHours: '24',
} as const satisfies RawConfig;

const SINKS: readonly AuditSinkName[] = ['file', 'stdout', 'webhook'];
const UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

function flag(key: EnvKey): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} / ${ENV[key]}`;
}

function whole(raw: RawConfig, key: EnvKey, min: number, max: number): number {
  const text = raw[key] ?? (ACCOUNTABILITY_DEFAULTS as RawConfig)[key] ?? '';
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) throw new ConfigError(`${flag(key)}: "${text}" is not a whole number in ${min}..${max}`);
  return n;
}

/** Unset, empty or `unlimited` → undefined; else a count, or bytes with an optional K/M/G/T (powers of 1024). */
function limit(raw: RawConfig, key: EnvKey, units: boolean): number | undefined {
  const text = (raw[key] ?? '').trim();
  if (text === '' || text === 'unlimited') return undefined;
  const m = (units ? /^(\d+)([KMGT]?)i?B?$/i : /^(\d+)()$/).exec(text);
  if (!m) throw new ConfigError(`${flag(key)}: "${text}" is not ${units ? 'a size such as 500G' : 'a whole number'} or "unlimited"`);
  return Number(m[1]) * UNITS[m[2]!.toUpperCase()]!;
}

export function loadAccountability(raw: RawConfig, dataDir: string): AccountabilityConfig {
  const listed = (raw.auditSinks ?? ACCOUNTABILITY_DEFAULTS.auditSinks).split(',').map((s) => s.trim()).filter(Boolean);
  const sinks = listed.includes('none') ? [] : [...new Set(listed)];
  for (const s of sinks) {
    if (!SINKS.includes(s as AuditSinkName)) throw new ConfigError(`${flag('auditSinks')}: "${s}" is not one of ${SINKS.join(', ')}, none`);
  }
  const url = raw.auditWebhookUrl;
  if (sinks.includes('webhook') !== Boolean(url)) {
    throw new ConfigError(`${flag('auditWebhookUrl')} is required with the webhook sink, and only with it (${flag('auditSinks')})`);
  }
  if (url) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.username || parsed.password) {
      throw new ConfigError(`${flag('auditWebhookUrl')}: an http(s) URL without credentials (use ${ENV.auditWebhookToken})`);
    }
  }
  return Object.freeze({
    audit: Object.freeze({
      sinks: Object.freeze(sinks as AuditSinkName[]),
      dir: resolve(raw.auditDir ?? join(dataDir, 'audit')),
      ...(url ? { webhook: Object.freeze({ url, ...(raw.auditWebhookToken ? { token: raw.auditWebhookToken } : {}) }) } : {}),
      retryMaxMs: whole(raw, 'auditRetryMaxMs', 100, 3_600_000),
      retentionMs: whole(raw, 'auditRetentionDays', 1, 3650) * 86_400_000,
    }),
    idempotencyTtlMs: whole(raw, 'idempotencyTtlHours', 1, 8760) * 3_600_000,
    quotas: Object.freeze({
      desktopImages: Object.freeze({
        ...optional('count', limit(raw, 'quotaDesktopImagesCount', false)),
        ...optional('size', limit(raw, 'quotaDesktopImagesSize', true)),
      }),
    }),
  });
}

function optional<K extends string>(key: K, v: number | undefined): Partial<Record<K, number>> {
  return v === undefined ? {} : ({ [key]: v } as Record<K, number>);
}
