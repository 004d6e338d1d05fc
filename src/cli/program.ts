/**
 * The `clouddesk` command tree: the server (`serve`) and the client commands, which share the
 * global flags (anywhere on the line, as in yc), profiles and output formats. A mistake on the
 * command line (unknown flag or command, missing argument) exits with code 2.
 *
 *   await buildProgram(version).parseAsync(process.argv);
 */
import { Command } from 'commander';
import { serveCommand } from './serve.js';
import { migrateCommand } from './admin/migrate.js';
import { backupCommand } from './admin/backup.js';
import { restoreCommand } from './admin/restore.js';
import { iamCommand } from './iam/index.js';
import { desktopsCommand } from './desktops/index.js';
import { computeCommand } from './compute/index.js';
import { operationCommand } from './operation.js';
import { configCommand } from './config-command.js';
import { completionCommand } from './completion.js';
import { stateCommand } from './state.js';
import { addGlobalOptions, globalOptions } from './shared/globals.js';
import { EXIT } from './shared/action.js';

const CLIENT_HELP = `
Client commands talk to a running server through gRPC. Global flags (--endpoint, --token,
--insecure, --ca-file, --profile, --format, --folder-id) go anywhere on the line; without
them the environment (CLOUDDESK_ENDPOINT, CLOUDDESK_TOKEN, CLOUDDESK_PROFILE) and then the
active profile (clouddesk config) apply.

  clouddesk config profile create local
  clouddesk config set endpoint 127.0.0.1:50051 && clouddesk config set insecure true
  clouddesk config set token "$(cat ./data/bootstrap-token)" && clouddesk config set folder-id team-a
  clouddesk desktops image list --format yaml`;

export function buildProgram(version: string): Command {
  const program = new Command('clouddesk')
    .description('Self-hostable Yandex Cloud Cloud Desktop image API (gRPC + REST on one port), and its client')
    .version(version)
    .addHelpText('after', CLIENT_HELP);
  const clients = [desktopsCommand(), computeCommand(), operationCommand(), iamCommand(), configCommand(), stateCommand(), completionCommand(() => program)];
  program.addCommand(serveCommand());
  for (const c of [migrateCommand(), backupCommand(), restoreCommand()]) program.addCommand(c);
  for (const c of clients) {
    addGlobalOptions(c);
    program.addCommand(c);
  }
  for (const o of globalOptions()) program.addOption(o);
  exitOnUsageError(program);
  return program;
}

/** Commander's errors become exit code 2 (help and --version stay 0). */
function exitOnUsageError(cmd: Command): void {
  cmd.exitOverride((err) => {
    process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    throw err;
  });
  for (const sub of cmd.commands) exitOnUsageError(sub);
}
