/**
 * The only module that reads the environment. Each command-line flag has an environment
 * variable; commander applies flag > env > default, so this file only lists the names.
 */
export const ENV = {
  listen: 'CLOUDDESK_LISTEN',
  dataDir: 'CLOUDDESK_DATA_DIR',
  tlsCert: 'CLOUDDESK_TLS_CERT',
  tlsKey: 'CLOUDDESK_TLS_KEY',
  logLevel: 'CLOUDDESK_LOG_LEVEL',
  importTimeoutMs: 'CLOUDDESK_IMPORT_TIMEOUT_MS',
  importMaxBytes: 'CLOUDDESK_IMPORT_MAX_BYTES',
  maxVirtualSize: 'CLOUDDESK_MAX_VIRTUAL_SIZE',
  importConcurrency: 'CLOUDDESK_IMPORT_CONCURRENCY',
  operationRetentionDays: 'CLOUDDESK_OPERATION_RETENTION_DAYS',
  systemFolder: 'CLOUDDESK_SYSTEM_FOLDER',
  systemImagesDir: 'CLOUDDESK_SYSTEM_IMAGES_DIR',
  shutdownGraceMs: 'CLOUDDESK_SHUTDOWN_GRACE_MS',
  auditSinks: 'CLOUDDESK_AUDIT_SINKS',
  auditDir: 'CLOUDDESK_AUDIT_DIR',
  auditWebhookUrl: 'CLOUDDESK_AUDIT_WEBHOOK_URL',
  auditWebhookToken: 'CLOUDDESK_AUDIT_WEBHOOK_TOKEN',
  auditRetryMaxMs: 'CLOUDDESK_AUDIT_RETRY_MAX_MS',
  auditRetentionDays: 'CLOUDDESK_AUDIT_RETENTION_DAYS',
  idempotencyTtlHours: 'CLOUDDESK_IDEMPOTENCY_TTL_HOURS',
  quotaDesktopImagesCount: 'CLOUDDESK_QUOTA_DESKTOP_IMAGES_COUNT',
  quotaDesktopImagesSize: 'CLOUDDESK_QUOTA_DESKTOP_IMAGES_SIZE',
  bootstrapToken: 'CLOUDDESK_BOOTSTRAP_TOKEN',
  // `clouddesk iam`: the server to talk to and the credential to use.
  endpoint: 'CLOUDDESK_ENDPOINT',
  token: 'CLOUDDESK_TOKEN',
} as const;

export type EnvKey = keyof typeof ENV;

/** Reads raw values for tests and diagnostics; commander reads them itself for flags. */
export function readEnv(env: NodeJS.ProcessEnv = process.env): Partial<Record<EnvKey, string>> {
  const out: Partial<Record<EnvKey, string>> = {};
  for (const [key, name] of Object.entries(ENV) as [EnvKey, string][]) {
    const v = env[name];
    if (v !== undefined && v !== '') out[key] = v;
  }
  return out;
}
