/**
 * `clouddesk desktops desktop list|get|create|update|delete|list-operations|start|stop|restart|
 * reset-password|get-rdp-file`, with yc's names and flags (the subset our API has).
 *
 *   clouddesk desktops desktop create --desktop-group-id e3v... --user subject-id=aje... --name my
 *   clouddesk desktops desktop get-rdp-file my --user subject-id=aje... > my.rdp
 */
import { Command } from 'commander';
import { DesktopService, ResetPasswordResponseSchema, RdpFileResponseSchema } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_service_pb.js';
import { DesktopSchema } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_pb.js';
import { OperationSchema } from '../../gen/yandex/cloud/operation/operation_pb.js';
import { action, type Ctx } from '../shared/action.js';
import { folderOf, UsageError } from '../shared/globals.js';
import { finish, type AsyncOpts } from '../shared/operations.js';
import { allPages } from '../shared/paging.js';
import { collect, idOf, parseLabels, type Lookup, type Ref } from '../shared/refs.js';
import { userOf } from './specs.js';

const api = DesktopService.method;
const byName: Lookup = async (ctx, folderId, name) =>
  (await ctx.api.call(api.list, { folderId, filter: `name="${name}"`, pageSize: 1n })).desktops[0]?.id;

interface RefOpts extends AsyncOpts {
  id?: string;
  name?: string;
}

const desktopId = (ctx: Ctx, r: Ref) => idOf(ctx, byName, 'desktop', r);
const refOf = (args: string[], o: RefOpts): Ref => ({ id: o.id, name: o.name, positional: args[0] });
const ref = (c: Command) => c.option('--id <id>', 'desktop id').option('--name <name>', 'desktop name');
const COLUMNS = [['ID', 'id'], ['NAME', 'name'], ['DESKTOP GROUP ID', 'desktop_group_id'], ['STATUS', 'status'], ['CREATED AT', 'created_at']] as const;

/** `start`, `stop`, `restart`: one desktop, an Operation, the desktop when done. */
function powerCommand(parent: Command, name: 'start' | 'stop' | 'restart', text: string): void {
  ref(parent.command(`${name} [NAME|ID]`).description(text))
    .option('--async', 'print the operation and return without waiting')
    .action(action<RefOpts>(async (ctx, args, o) => {
      const id = await desktopId(ctx, refOf(args, o));
      const op = name === 'start' ? await ctx.api.call(api.start, { desktopId: id })
        : name === 'stop' ? await ctx.api.call(api.stop, { desktopId: id })
        : await ctx.api.call(api.restart, { desktopId: id });
      await finish(ctx, op, o);
    }));
}

export function desktopCommand(): Command {
  const desktop = new Command('desktop').description('Manage desktops');
  desktop.command('list').description('List desktops of a folder')
    .option('--filter <expr>', 'filter expression, e.g. name="my"').option('--limit <n>', 'the most desktops to show')
    .action(action<{ filter?: string; limit?: string }>(async (ctx, _args, o) => {
      const folderId = folderOf(ctx.settings);
      const desktops = await allPages(o.limit, (pageToken, pageSize) =>
        ctx.api.call(api.list, { folderId, filter: o.filter ?? '', pageToken, pageSize }).then((p) => [p.desktops, p.nextPageToken]));
      ctx.out.list(DesktopSchema, desktops, COLUMNS);
    }));
  ref(desktop.command('get [NAME|ID]').description('Show a desktop'))
    .action(action<RefOpts>(async (ctx, args, o) => {
      ctx.out.one(DesktopSchema, await ctx.api.call(api.get, { desktopId: await desktopId(ctx, refOf(args, o)) }));
    }));
  desktop.command('create [NAME]').description('Create a desktop in a group')
    .option('--name <name>', 'name of the desktop')
    .option('--desktop-group-id <id>', 'group the desktop belongs to')
    .option('--subnet-id <id>', 'one of the group\'s subnets (default: its first)')
    .option('--user <subject-id=ID[,subject-type=TYPE]>', 'user of the desktop (repeat for more)', collect)
    .option('--description <text>', 'description')
    .option('--labels <key=value[,key=value...]>', 'labels')
    .option('--async', 'print the operation and return without waiting')
    .action(action<AsyncOpts & { name?: string; desktopGroupId?: string; subnetId?: string; user?: string[]; description?: string; labels?: string }>(
      async (ctx, args, o) => {
        if (!o.desktopGroupId) throw new UsageError('--desktop-group-id is required');
        if (!o.user?.length) throw new UsageError('--user is required');
        const op = await ctx.api.call(api.create, {
          desktopGroupId: o.desktopGroupId, subnetId: o.subnetId ?? '', users: o.user.map(userOf), name: o.name ?? args[0] ?? '',
          description: o.description ?? '', labels: parseLabels(o.labels ?? ''),
        });
        await finish(ctx, op, o);
      },
    ));
  ref(desktop.command('update [NAME|ID]').description('Rename a desktop or change its description or labels'))
    .option('--new-name <name>', 'new name').option('--description <text>', 'description')
    .option('--labels <key=value[,key=value...]>', 'labels (replace all)')
    .option('--async', 'print the operation and return without waiting')
    .action(action<RefOpts & { newName?: string; description?: string; labels?: string }>(async (ctx, args, o) => {
      const paths = ([['name', o.newName], ['description', o.description], ['labels', o.labels]] as const).filter(([, v]) => v !== undefined).map(([p]) => p);
      if (paths.length === 0) throw new UsageError('nothing to update: give --new-name, --description or --labels');
      const id = await desktopId(ctx, refOf(args, o));
      const op = await ctx.api.call(api.updateProperties, {
        desktopId: id, updateMask: { paths: [...paths] }, name: o.newName ?? '', description: o.description ?? '', labels: parseLabels(o.labels ?? ''),
      });
      await finish(ctx, op, o);
    }));
  ref(desktop.command('delete [NAME|ID...]').description('Delete desktops'))
    .option('--async', 'print the operations and return without waiting')
    .action(action<RefOpts>(async (ctx, args, o) => {
      const refs = args.length > 0 && o.id === undefined && o.name === undefined ? args.map((positional) => ({ positional })) : [refOf(args, o)];
      for (const r of refs) await finish(ctx, await ctx.api.call(api.delete, { desktopId: await desktopId(ctx, r) }), o);
    }));
  ref(desktop.command('list-operations [NAME|ID]').description('List the operations of a desktop'))
    .option('--limit <n>', 'the most operations to show')
    .action(action<RefOpts & { limit?: string }>(async (ctx, args, o) => {
      const id = await desktopId(ctx, refOf(args, o));
      const ops = await allPages(o.limit, (pageToken, pageSize) =>
        ctx.api.call(api.listOperations, { desktopId: id, pageToken, pageSize }).then((p) => [p.operations, p.nextPageToken]));
      ctx.out.list(OperationSchema, ops, [['ID', 'id'], ['DESCRIPTION', 'description'], ['DONE', 'done'], ['CREATED AT', 'created_at']]);
    }));
  powerCommand(desktop, 'start', 'Start a stopped desktop');
  powerCommand(desktop, 'stop', 'Stop a running desktop');
  powerCommand(desktop, 'restart', 'Restart a running desktop');
  ref(desktop.command('reset-password [NAME|ID]').description('Set a new password for a user of the desktop'))
    .requiredOption('--user <subject-id=ID[,subject-type=TYPE]>', 'the user')
    .action(action<RefOpts & { user: string }>(async (ctx, args, o) => {
      const res = await ctx.api.call(api.resetPassword, { desktopId: await desktopId(ctx, refOf(args, o)), user: userOf(o.user) });
      if (ctx.out.format === 'text') process.stdout.write(`password: ${res.password}\n`);
      else ctx.out.one(ResetPasswordResponseSchema, res);
    }));
  ref(desktop.command('get-rdp-file [NAME|ID]').description('Print the RDP file for connecting to the desktop'))
    .option('--user <subject-id=ID[,subject-type=TYPE]>', 'the user the file is for')
    .action(action<RefOpts & { user?: string }>(async (ctx, args, o) => {
      const res = await ctx.api.call(api.getRdpFile, { desktopId: await desktopId(ctx, refOf(args, o)), ...(o.user ? { user: userOf(o.user) } : {}) });
      if (ctx.out.format === 'text') process.stdout.write(res.content.endsWith('\n') ? res.content : `${res.content}\n`);
      else ctx.out.one(RdpFileResponseSchema, res);
    }));
  return desktop;
}
