/** `clouddesk serve`: runs the server until SIGTERM/SIGINT, then stops gracefully. */
import { Command, Option } from 'commander';
import { ENV } from '../config/env.js';
import { ConfigError, DEFAULTS, loadConfig, type RawConfig } from '../config/config.js';
import { ACCOUNTABILITY_DEFAULTS as ACC } from '../config/accountability.js';
import { flushLogs, loggers, setLogLevel } from '../logger.js';
import { startApp } from '../app.js';

function opt(flags: string, description: string, env: string, def?: string): Option {
  const o = new Option(flags, description).env(env);
  return def === undefined ? o : o.default(def);
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('Run the clouddesk API server (gRPC and REST on one port)')
    .addOption(opt('--listen <host:port>', 'address to listen on', ENV.listen, DEFAULTS.listen))
    .addOption(opt('--data-dir <dir>', 'where the SQLite database and the blob store live', ENV.dataDir, DEFAULTS.dataDir))
    .addOption(opt('--tls-cert <file>', 'PEM certificate: serve TLS instead of plaintext h2c/HTTP', ENV.tlsCert))
    .addOption(opt('--tls-key <file>', 'PEM private key for --tls-cert', ENV.tlsKey))
    .addOption(opt('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent', ENV.logLevel, DEFAULTS.logLevel))
    .addOption(opt('--import-timeout-ms <ms>', 'abort an image import whose source sends nothing for this long', ENV.importTimeoutMs, DEFAULTS.importTimeoutMs))
    .addOption(opt('--import-max-bytes <n>', 'largest image file an import accepts', ENV.importMaxBytes, DEFAULTS.importMaxBytes))
    .addOption(opt('--max-virtual-size <n>', 'largest virtual disk size (bytes) an image may declare', ENV.maxVirtualSize, DEFAULTS.maxVirtualSize))
    .addOption(opt('--import-concurrency <n>', 'imports that download at the same time', ENV.importConcurrency, DEFAULTS.importConcurrency))
    .addOption(opt('--operation-retention-days <n>', 'days finished operations are kept', ENV.operationRetentionDays, DEFAULTS.operationRetentionDays))
    .addOption(opt('--system-folder <id>', 'folder that holds system images (read-only)', ENV.systemFolder, DEFAULTS.systemFolder))
    .addOption(opt('--system-images-dir <dir>', 'seed each qcow2/raw file here as a system image at start-up', ENV.systemImagesDir))
    .addOption(opt('--bootstrap-token <token>', 'admin credential (prefer the variable; default: generated into <data-dir>/bootstrap-token)', ENV.bootstrapToken))
    .addOption(opt('--shutdown-grace-ms <ms>', 'how long in-flight calls may finish on shutdown', ENV.shutdownGraceMs, DEFAULTS.shutdownGraceMs))
    .addOption(opt('--audit-sinks <list>', 'where audit events go: file, stdout, webhook (comma-separated) or none', ENV.auditSinks, ACC.auditSinks))
    .addOption(opt('--audit-dir <dir>', 'directory of the file sink (default <data-dir>/audit)', ENV.auditDir))
    .addOption(opt('--audit-webhook-url <url>', 'http(s) endpoint the webhook sink POSTs event batches to', ENV.auditWebhookUrl))
    .addOption(opt('--audit-webhook-token <token>', 'bearer token for the webhook (prefer the variable)', ENV.auditWebhookToken))
    .addOption(opt('--audit-retry-max-ms <ms>', 'longest wait between retries of a failing audit sink', ENV.auditRetryMaxMs, ACC.auditRetryMaxMs))
    .addOption(opt('--audit-retention-days <n>', 'days delivered audit events stay in the database', ENV.auditRetentionDays, ACC.auditRetentionDays))
    .addOption(opt('--idempotency-ttl-hours <n>', 'hours an idempotency key is remembered', ENV.idempotencyTtlHours, ACC.idempotencyTtlHours))
    .addOption(opt('--quota-desktop-images-count <n>', 'desktop images per folder (default unlimited)', ENV.quotaDesktopImagesCount))
    .addOption(opt('--quota-desktop-images-size <size>', 'total storage_size of desktop images per folder, e.g. 1T (default unlimited)', ENV.quotaDesktopImagesSize))
    .action(async (opts: RawConfig) => {
      let config;
      try {
        config = loadConfig(opts);
      } catch (err) {
        if (err instanceof ConfigError) {
          process.stderr.write(`clouddesk: ${err.message}\n`);
          process.exit(2);
        }
        throw err;
      }
      setLogLevel(config.logLevel);
      // Handlers go in before start-up: a signal that arrives while the app is starting (or
      // right after it logs "listening") must still stop it gracefully.
      let stopping = false;
      const app = startApp(config);
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        loggers.server.info({ signal }, 'stopping');
        app.then((a) => a.stop()).then(
          () => {
            flushLogs();
            process.exit(0);
          },
          (err: unknown) => {
            loggers.server.error({ err }, 'error while stopping');
            flushLogs();
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
      await app;
    });
}
