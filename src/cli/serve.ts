/** `clouddesk serve`: runs the server until SIGTERM/SIGINT, then stops gracefully. */
import { Command, Option } from 'commander';
import { ENV } from '../config/env.js';
import { ConfigError, DEFAULTS, loadConfig, type RawConfig } from '../config/config.js';
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
    .addOption(opt('--shutdown-grace-ms <ms>', 'how long in-flight calls may finish on shutdown', ENV.shutdownGraceMs, DEFAULTS.shutdownGraceMs))
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
      const app = await startApp(config);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        loggers.server.info({ signal }, 'stopping');
        app.stop().then(
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
    });
}
