/**
 * What the installation commands (migrate, backup, restore) share: their flags come from the
 * server's flag table (config/options.ts), so `--data-dir`, `--database`, `--blob-store` and the
 * `--s3-*` flags read and check exactly as `serve` does; failures print one line and exit 1 (a
 * wrong command line: 2). These commands run offline, next to the data, and need no server.
 *
 *   cmd.addOption(tableOption('dataDir', { mandatory: true }));
 *   cmd.action(adminAction('migrate', async (opts) => { ... }));
 */
import { Option } from 'commander';
import { OPTIONS, type OptionKey } from '../../config/options.js';
import { ConfigError } from '../../config/parsers.js';
import { setLogLevel } from '../../logger.js';
import { toOption } from '../serve.js';
import { EXIT } from '../shared/action.js';

/** The flag table's option; `mandatory` when the command cannot do without it (the variable also counts). */
export function tableOption(key: OptionKey, opts: { mandatory?: boolean } = {}): Option {
  const spec = OPTIONS[key];
  // A mandatory flag has no default: `migrate` must not guess which data dir it empties.
  return opts.mandatory ? new Option(spec.flag, spec.help).env(spec.env).makeOptionMandatory() : toOption(spec);
}

/** A one-line report on stdout. */
export const say = (line: string): void => void process.stdout.write(`${line}\n`);

export function adminAction<O>(name: string, fn: (opts: O) => Promise<boolean>) {
  return async (opts: O): Promise<void> => {
    // Files these commands make are the owner's alone, as the server's are (docs/security.md).
    process.umask(0o077);
    setLogLevel('warn');
    try {
      process.exitCode = (await fn(opts)) ? EXIT.ok : EXIT.api;
    } catch (err) {
      process.stderr.write(`clouddesk ${name}: ${(err as Error).message}\n`);
      process.exitCode = err instanceof ConfigError ? EXIT.usage : EXIT.api;
    }
  };
}
