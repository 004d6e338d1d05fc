/**
 * `clouddesk iam`: set up access to a running server without writing code. Service accounts,
 * authorized key files, folder roles and IAM tokens, over the same gRPC API the official
 * clients use.
 *
 *   clouddesk iam --insecure service-account create --folder-id team-a --name ci
 *   clouddesk iam --insecure key create --service-account-id aje... --output key.json
 *   clouddesk iam --insecure folder add-access-binding team-a --role vdi.viewer --service-account-id aje...
 *   clouddesk iam --insecure create-token --key-file key.json
 */
import { Command } from 'commander';
import { OPTIONS } from '../../config/options.js';
import { ApiClient, CliError } from '../shared/client.js';
import { clientFor, folderOf, settingsOf, UsageError } from '../shared/globals.js';
import { EXIT } from '../shared/action.js';
import * as act from './commands.js';

const HELP = `
Commands talk to a running clouddesk server (--endpoint, default ${OPTIONS.listen.default}).
Every command except create-token needs a credential: --token, CLOUDDESK_TOKEN or the
profile's token (clouddesk config), e.g. the
bootstrap credential (CLOUDDESK_BOOTSTRAP_TOKEN of the server, or <data-dir>/bootstrap-token).
TLS is used unless --insecure is given; --ca-file names the CA that signed the server's
certificate.

Give a service account read access to one folder:
  export CLOUDDESK_TOKEN=$(cat ./data/bootstrap-token)
  clouddesk iam --insecure service-account create --folder-id accounts --name viewer-bot
  clouddesk iam --insecure key create --service-account-id <id> --output viewer-bot.json
  clouddesk iam --insecure folder add-access-binding team-a --role vdi.viewer --service-account-id <id>
  clouddesk iam --insecure create-token --key-file viewer-bot.json     # prints an IAM token (12 h)

Roles: viewer, editor, admin (every resource of a folder) and vdi.viewer, vdi.editor,
vdi.admin (desktop images); see "RoleService.List" for the full catalogue.`;

/**
 * Runs an action; a failure is one line on stderr and exit code 1, never a stack trace. The
 * server, credential and folder come from the global flags, the environment or the profile.
 */
function run<O>(fn: (api: ApiClient, opts: O) => Promise<void>, needsToken = true, needsFolder = false) {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const positional = cmd.args;
    let api: ApiClient | undefined;
    try {
      const settings = settingsOf(cmd);
      const folder = positional.length > 0 ? { folderId: positional[0] } : needsFolder ? { folderId: folderOf(settings) } : {};
      api = clientFor(settings, needsToken);
      await fn(api, { ...(cmd.opts() as O), ...folder });
    } catch (err) {
      let message = err instanceof CliError ? err.message : String((err as Error).message ?? err);
      if (/^UNAVAILABLE.*(SSL|TLS|wrong version)/i.test(message)) message += ' (is the server plaintext? then add --insecure)';
      process.stderr.write(`clouddesk iam: ${message}\n`);
      process.exitCode = err instanceof UsageError ? EXIT.usage : EXIT.api;
    } finally {
      api?.close();
    }
  };
}

export function iamCommand(): Command {
  const iam = new Command('iam')
    .description('Service accounts, authorized keys, folder roles and IAM tokens of a running server')
    .addHelpText('after', HELP);

  const sa = iam.command('service-account').description('Create and list service accounts');
  sa.command('create')
    .description('Create a service account in a folder (--folder-id); prints it as JSON')
    .requiredOption('--name <name>', 'name, unique in the folder ([a-z][-a-z0-9]*, up to 63 characters)')
    .option('--description <text>', 'description')
    .action(run(act.createServiceAccount, true, true));
  sa.command('list')
    .description('List the service accounts of a folder (--folder-id)')
    .action(run(act.listServiceAccounts, true, true));

  iam.command('key')
    .description('Authorized keys of service accounts')
    .command('create')
    .description('Create a key and write the authorized key file (JSON, mode 0600) it can sign JWTs with')
    .requiredOption('--service-account-id <id>', 'owner of the key')
    .requiredOption('--output <file>', 'key file to create (never overwritten)')
    .option('--algorithm <alg>', 'rsa-2048 or rsa-4096', 'rsa-2048')
    .option('--description <text>', 'description')
    .action(run(act.createKey));

  const folder = iam.command('folder').description('Roles on folders');
  folder.command('add-access-binding <folder-id>')
    .description('Grant a role on a folder to a service account (or to allAuthenticatedUsers)')
    .requiredOption('--role <role>', 'role id, e.g. vdi.viewer, vdi.editor, viewer, editor, admin')
    .option('--service-account-id <id>', 'the service account to grant it to')
    .option('--subject <subject>', 'allAuthenticatedUsers instead of a service account')
    .action(run(act.addAccessBinding));
  folder.command('list-access-bindings <folder-id>')
    .description('List the roles granted on a folder')
    .action(run(act.listAccessBindings));

  iam.command('create-token')
    .description('Sign a JWT with an authorized key file, exchange it, and print the IAM token')
    .requiredOption('--key-file <file>', 'authorized key file (clouddesk iam key create, or yc iam key create)')
    .action(run(act.createToken, false));
  return iam;
}
