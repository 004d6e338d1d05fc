/** `clouddesk serve`: runs the server until SIGTERM/SIGINT, then stops gracefully. */
import { Command, Option } from 'commander';
import { OPTIONS, type OptionSpec, type RawConfig } from '../config/options.js';
import { ConfigError } from '../config/parsers.js';
import { loadConfig } from '../config/config.js';
import { exitWhenLogged, loggers, setLogLevel } from '../logger.js';
import { startApp } from '../app.js';

/** A commander option from the flag table (also used by migrate, backup and restore). */
export function toOption(spec: OptionSpec): Option {
  const o = new Option(spec.flag, spec.help).env(spec.env);
  return spec.default === undefined ? o : o.default(spec.default);
}

export function serveCommand(): Command {
  const serve = new Command('serve').description('Run the clouddesk API server (gRPC and REST on one port)');
  for (const spec of Object.values(OPTIONS)) serve.addOption(toOption(spec));
  return serve
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
          () => exitWhenLogged(0),
          (err: unknown) => {
            loggers.server.error({ err }, 'error while stopping');
            return exitWhenLogged(1);
          },
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
      await app.catch(async (err: unknown) => {
        // A setting this machine cannot honour (e.g. --desktop-runtime qemu without QEMU).
        if (!(err instanceof ConfigError)) throw err;
        process.stderr.write(`clouddesk: ${err.message}\n`);
        await exitWhenLogged(2);
      });
    });
}
