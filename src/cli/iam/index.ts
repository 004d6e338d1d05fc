/**
 * `clouddesk iam`: set up access to a running server without writing code. Service accounts,
 * authorized key files, folder roles and IAM tokens, over the same gRPC API the official
 * clients use, with the shared client layer (global flags, --format, `ERROR:` lines, exit codes).
 *
 *   clouddesk iam service-account create ci --folder-id team-a --format json
 *   clouddesk iam key create --service-account-id aje... --output key.json
 *   clouddesk iam folder add-access-binding team-a --role vdi.viewer --service-account-id aje...
 *   clouddesk iam create-token --key-file key.json
 */
import { Command } from 'commander';
import { FolderService } from '../../gen/yandex/cloud/resourcemanager/v1/folder_service_pb.js';
import { OPTIONS } from '../../config/options.js';
import { addAccessBindingCommands } from '../shared/access-bindings.js';
import { UsageError } from '../shared/globals.js';
import { serviceAccountCommand } from './service-account.js';
import { keyCommand } from './key.js';
import { createTokenCommand } from './create-token.js';

const HELP = `
Commands talk to a running clouddesk server (--endpoint, default ${OPTIONS.listen.default}).
Every command except create-token needs a credential: --token, CLOUDDESK_TOKEN or the
profile's token (clouddesk config), e.g. the
bootstrap credential (CLOUDDESK_BOOTSTRAP_TOKEN of the server, or <data-dir>/bootstrap-token).
TLS is used unless --insecure is given; --ca-file names the CA that signed the server's
certificate. --format text|json|json-rest|yaml chooses the output, as everywhere.

Give a service account read access to one folder:
  export CLOUDDESK_TOKEN=$(cat ./data/bootstrap-token)
  clouddesk iam --insecure service-account create viewer-bot --folder-id accounts
  clouddesk iam --insecure key create --service-account-name viewer-bot --folder-id accounts --output viewer-bot.json
  clouddesk iam --insecure folder add-access-binding team-a --role vdi.viewer --service-account-id <id>
  clouddesk iam --insecure create-token --key-file viewer-bot.json     # prints an IAM token (12 h)

Roles: viewer, editor, admin (every resource of a folder) and vdi.viewer, vdi.editor,
vdi.admin (desktop images); see "RoleService.List" for the full catalogue.`;

/** Folders have no names of their own here (any id is a folder): FOLDER-ID, --id or --name. */
async function folderIdOf(_ctx: unknown, args: string[], o: { id?: string; name?: string }): Promise<string> {
  const given = [args[0], o.id, o.name].filter((x) => x !== undefined);
  if (given.length !== 1) throw new UsageError('give one of FOLDER-ID, --id and --name');
  return given[0]!;
}

export function iamCommand(): Command {
  const folder = new Command('folder').description('Roles on folders');
  addAccessBindingCommands(folder, 'folder', FolderService, folderIdOf);
  return new Command('iam')
    .description('Service accounts, authorized keys, folder roles and IAM tokens of a running server')
    .addHelpText('after', HELP)
    .addCommand(serviceAccountCommand())
    .addCommand(keyCommand())
    .addCommand(folder)
    .addCommand(createTokenCommand());
}
