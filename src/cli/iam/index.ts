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
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { ENV } from '../../config/env.js';
import { OPTIONS } from '../../config/options.js';
import { ApiClient, CliError } from './client.js';
import * as act from './commands.js';

interface GlobalOptions {
  endpoint: string;
  token?: string;
  insecure?: boolean;
  caFile?: string;
}

const HELP = `
Commands talk to a running clouddesk server (--endpoint, default ${OPTIONS.listen.default}).
Every command except create-token needs a credential: --token or CLOUDDESK_TOKEN, e.g. the
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

function client(cmd: Command, needsToken = true): ApiClient {
  const g = cmd.optsWithGlobals<GlobalOptions>();
  if (needsToken && !g.token) {
    throw new CliError('no credential: pass --token or set CLOUDDESK_TOKEN (e.g. the bootstrap credential)');
  }
  if (g.insecure && g.caFile) throw new CliError('--insecure and --ca-file exclude each other');
  const tls = g.insecure ? undefined : { ca: g.caFile ? readFileSync(g.caFile) : undefined };
  return new ApiClient({ endpoint: g.endpoint, token: needsToken ? g.token : undefined, tls });
}

/** Runs an action; a failure is one line on stderr and exit code 1, never a stack trace. */
function run<O>(fn: (api: ApiClient, opts: O) => Promise<void>, needsToken = true) {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const positional = cmd.args;
    let api: ApiClient | undefined;
    try {
      api = client(cmd, needsToken);
      await fn(api, { ...(cmd.opts() as O), ...(positional.length > 0 ? { folderId: positional[0] } : {}) });
    } catch (err) {
      let message = err instanceof CliError ? err.message : String((err as Error).message ?? err);
      if (/^UNAVAILABLE.*(SSL|TLS|wrong version)/i.test(message)) message += ' (is the server plaintext? then add --insecure)';
      process.stderr.write(`clouddesk iam: ${message}\n`);
      process.exitCode = 1;
    } finally {
      api?.close();
    }
  };
}

export function iamCommand(): Command {
  const iam = new Command('iam')
    .description('Service accounts, authorized keys, folder roles and IAM tokens of a running server')
    .addOption(new Option('--endpoint <host:port>', 'server address').env(ENV.endpoint).default(OPTIONS.listen.default))
    .addOption(new Option('--token <token>', 'IAM token or bootstrap credential (prefer the variable)').env(ENV.token))
    .option('--insecure', 'connect without TLS (plaintext), as to the default local server')
    .option('--ca-file <file>', 'PEM certificate of the CA to trust for TLS')
    .addHelpText('after', HELP);

  const sa = iam.command('service-account').description('Create and list service accounts');
  sa.command('create')
    .description('Create a service account in a folder; prints it as JSON')
    .requiredOption('--folder-id <id>', 'folder to create it in')
    .requiredOption('--name <name>', 'name, unique in the folder ([a-z][-a-z0-9]*, up to 63 characters)')
    .option('--description <text>', 'description')
    .action(run(act.createServiceAccount));
  sa.command('list')
    .description('List the service accounts of a folder')
    .requiredOption('--folder-id <id>', 'folder')
    .action(run(act.listServiceAccounts));

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
