/**
 * Runs a client command's action: results go to stdout, one `ERROR: ...` line to stderr on
 * failure (as yc prints it), and the exit code says which: 0 ok, 1 the API or the
 * environment failed, 2 the command line was wrong.
 *
 *   cmd.action(action(async ({ api, settings, out }, args, opts) => out.one(Schema, await api.call(...))));
 */
import type { Command } from 'commander';
import type { ApiClient } from './client.js';
import { CliError } from './client.js';
import { clientFor, settingsOf, UsageError, type Settings } from './globals.js';
import { Output } from './output.js';

export interface Ctx {
  readonly settings: Settings;
  readonly api: ApiClient;
  readonly out: Output;
}

export const EXIT = { ok: 0, api: 1, usage: 2 } as const;

/**
 * `credential: false` for the one call made without a token (IamTokenService.Create, by
 * `iam create-token`): none is required, and none is sent even when the profile has one.
 */
export function action<O>(fn: (ctx: Ctx, args: string[], opts: O) => Promise<void>, { credential = true } = {}) {
  return async (...params: unknown[]): Promise<void> => {
    const cmd = params[params.length - 1] as Command;
    let api: ApiClient | undefined;
    try {
      const settings = settingsOf(cmd);
      api = clientFor(settings, credential);
      await fn({ settings, api, out: new Output(settings.format) }, cmd.args, cmd.opts() as O);
    } catch (err) {
      fail(err);
    } finally {
      api?.close();
    }
  };
}

/** For commands that need no server (config, completion). */
export function local<O>(fn: (args: string[], opts: O, cmd: Command) => void | Promise<void>) {
  return async (...params: unknown[]): Promise<void> => {
    const cmd = params[params.length - 1] as Command;
    try {
      await fn(cmd.args, cmd.opts() as O, cmd);
    } catch (err) {
      fail(err);
    }
  };
}

function fail(err: unknown): void {
  if (err instanceof UsageError) {
    process.stderr.write(`ERROR: ${err.message}\n`);
    process.exitCode = EXIT.usage;
    return;
  }
  let message = err instanceof CliError ? err.ycMessage : String((err as Error).message ?? err);
  if (/code = Unavailable.*(SSL|TLS|wrong version)/i.test(message)) message += ' (is the server plaintext? then add --insecure)';
  process.stderr.write(`ERROR: ${message}\n`);
  process.exitCode = EXIT.api;
}
