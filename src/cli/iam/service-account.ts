/**
 * `clouddesk iam service-account create|list|get|delete`, with yc's names and flags. Accounts
 * live in a folder (--folder-id or the profile's); one is named by `--id`, `--name` or a
 * positional NAME-or-ID.
 *
 *   clouddesk iam service-account create ci-bot --folder-id accounts --format json
 *   clouddesk iam service-account delete ci-bot --folder-id accounts
 */
import { Command } from 'commander';
import { ServiceAccountService } from '../../gen/yandex/cloud/iam/v1/service_account_service_pb.js';
import { ServiceAccountSchema } from '../../gen/yandex/cloud/iam/v1/service_account_pb.js';
import { action, type Ctx } from '../shared/action.js';
import { folderOf, UsageError } from '../shared/globals.js';
import { finish, type AsyncOpts } from '../shared/operations.js';
import { allPages } from '../shared/paging.js';
import { idOf, type Lookup, type Ref } from '../shared/refs.js';

const api = ServiceAccountService.method;
const byName: Lookup = async (ctx, folderId, name) =>
  (await ctx.api.call(api.list, { folderId, filter: `name="${name}"`, pageSize: 1n })).serviceAccounts[0]?.id;

/** The id of the account a command names; `key` commands use it for --service-account-id|-name. */
export const serviceAccountId = (ctx: Ctx, ref: Ref): Promise<string> => idOf(ctx, byName, 'service account', ref);

interface RefOpts extends AsyncOpts {
  id?: string;
  name?: string;
}

const ref = (c: Command) => c.option('--id <id>', 'service account id').option('--name <name>', 'service account name');
const refOf = (args: string[], o: RefOpts): Ref => ({ id: o.id, name: o.name, positional: args[0] });

export function serviceAccountCommand(): Command {
  const sa = new Command('service-account').description('Manage service accounts');
  sa.command('create [NAME]').description('Create a service account in a folder')
    .option('--name <name>', 'name, unique in the folder ([a-z][-a-z0-9]*, up to 63 characters)')
    .option('--description <text>', 'description')
    .option('--async', 'print the operation and return without waiting')
    .action(action<AsyncOpts & { name?: string; description?: string }>(async (ctx, args, o) => {
      if (args[0] !== undefined && o.name !== undefined) throw new UsageError('give the name once: NAME or --name');
      const name = args[0] ?? o.name;
      if (name === undefined) throw new UsageError('give the name: NAME or --name');
      const op = await ctx.api.call(api.create, { folderId: folderOf(ctx.settings), name, description: o.description ?? '' });
      await finish(ctx, op, o);
    }));
  sa.command('list').description('List the service accounts of a folder')
    .option('--filter <expr>', 'filter expression, e.g. name="ci-bot"')
    .option('--limit <n>', 'the most service accounts to show')
    .action(action<{ filter?: string; limit?: string }>(async (ctx, _args, o) => {
      const folderId = folderOf(ctx.settings);
      const accounts = await allPages(o.limit, (pageToken, pageSize) =>
        ctx.api.call(api.list, { folderId, filter: o.filter ?? '', pageToken, pageSize }).then((p) => [p.serviceAccounts, p.nextPageToken]));
      ctx.out.list(ServiceAccountSchema, accounts, [['ID', 'id'], ['NAME', 'name'], ['CREATED AT', 'created_at']]);
    }));
  ref(sa.command('get [NAME|ID]').description('Show a service account'))
    .action(action<RefOpts>(async (ctx, args, o) => {
      const id = await serviceAccountId(ctx, refOf(args, o));
      ctx.out.one(ServiceAccountSchema, await ctx.api.call(api.get, { serviceAccountId: id }));
    }));
  ref(sa.command('delete [NAME|ID]').description('Delete a service account; its keys and tokens stop working at once'))
    .option('--async', 'print the operation and return without waiting')
    .action(action<RefOpts>(async (ctx, args, o) => {
      const id = await serviceAccountId(ctx, refOf(args, o));
      await finish(ctx, await ctx.api.call(api.delete, { serviceAccountId: id }), o);
    }));
  return sa;
}
