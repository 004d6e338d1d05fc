/**
 * `clouddesk desktops group list|get|create|update|delete|list-desktops|list-operations` and the
 * access binding commands, with yc's names and flags (the subset our API has).
 *
 *   clouddesk desktops group create --name dev --desktop-image-id e3v... \
 *     --resources memory=4G,cores=2 --boot-disk type=ssd,size=50G --group-config max-desktops-amount=10
 *   clouddesk desktops group list-desktops dev --format json
 */
import { Command } from 'commander';
import { DesktopGroupService } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_group_service_pb.js';
import { DesktopGroupSchema } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_group_pb.js';
import { DesktopSchema } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_pb.js';
import { OperationSchema } from '../../gen/yandex/cloud/operation/operation_pb.js';
import { action, type Ctx } from '../shared/action.js';
import { folderOf, UsageError } from '../shared/globals.js';
import { finish, type AsyncOpts } from '../shared/operations.js';
import { allPages } from '../shared/paging.js';
import { idOf, parseLabels, type Lookup } from '../shared/refs.js';
import { addAccessBindingCommands } from '../shared/access-bindings.js';
import { diskOf, groupConfigOf, networkOf, resourcesOf } from './specs.js';

const api = DesktopGroupService.method;
const byName: Lookup = async (ctx, folderId, name) =>
  (await ctx.api.call(api.list, { folderId, filter: `name="${name}"`, pageSize: 1n })).desktopGroups[0]?.id;

interface RefOpts extends AsyncOpts {
  id?: string;
  name?: string;
}

interface SpecOpts {
  description?: string;
  labels?: string;
  desktopImageId?: string;
  resources?: string;
  networkInterface?: string;
  bootDisk?: string;
  dataDisk?: string;
  groupConfig?: string;
}

const groupId = (ctx: Ctx, args: string[], o: RefOpts) => idOf(ctx, byName, 'desktop group', { id: o.id, name: o.name, positional: args[0] });
const ref = (c: Command) => c.option('--id <id>', 'desktop group id').option('--name <name>', 'desktop group name');
const COLUMNS = [['ID', 'id'], ['NAME', 'name'], ['STATUS', 'status'], ['CREATED AT', 'created_at']] as const;

function specFlags(c: Command): Command {
  return c.option('--description <text>', 'description')
    .option('--labels <key=value[,key=value...]>', 'labels')
    .option('--desktop-image-id <id>', 'desktop image the desktops boot from')
    .option('--resources <memory=SIZE,cores=N[,core-fraction=P]>', 'each desktop\'s memory and vCPUs')
    .option('--network-interface <network-id=ID,subnet-ids=ID[;ID]>', 'network and subnets of the desktops')
    .option('--boot-disk <type=hdd|ssd,size=SIZE>', 'boot disk of each desktop')
    .option('--data-disk <type=hdd|ssd,size=SIZE>', 'data disk of each desktop')
    .option('--group-config <min-ready-desktops=N,max-desktops-amount=N,desktop-type=persistent|non-persistent>', 'group configuration')
    .option('--async', 'print the operation and return without waiting');
}

function specOf(o: SpecOpts) {
  return {
    ...(o.resources !== undefined ? { resourcesSpec: resourcesOf(o.resources) } : {}),
    ...(o.networkInterface !== undefined ? { networkInterfaceSpec: networkOf(o.networkInterface) } : {}),
    ...(o.bootDisk !== undefined ? { bootDiskSpec: diskOf('--boot-disk', o.bootDisk) } : {}),
    ...(o.dataDisk !== undefined ? { dataDiskSpec: diskOf('--data-disk', o.dataDisk) } : {}),
    ...(o.groupConfig !== undefined ? { groupConfig: groupConfigOf(o.groupConfig) } : {}),
  };
}

export function desktopGroupCommand(): Command {
  const group = new Command('group').description('Manage desktop groups');
  group.command('list').description('List desktop groups of a folder')
    .option('--filter <expr>', 'filter expression, e.g. name="dev"').option('--limit <n>', 'the most groups to show')
    .action(action<{ filter?: string; limit?: string }>(async (ctx, _args, o) => {
      const folderId = folderOf(ctx.settings);
      const groups = await allPages(o.limit, (pageToken, pageSize) =>
        ctx.api.call(api.list, { folderId, filter: o.filter ?? '', pageToken, pageSize }).then((p) => [p.desktopGroups, p.nextPageToken]));
      ctx.out.list(DesktopGroupSchema, groups, COLUMNS);
    }));
  ref(group.command('get [NAME|ID]').description('Show a desktop group'))
    .action(action<RefOpts>(async (ctx, args, o) => {
      ctx.out.one(DesktopGroupSchema, await ctx.api.call(api.get, { desktopGroupId: await groupId(ctx, args, o) }));
    }));
  specFlags(group.command('create [NAME]').description('Create a desktop group').option('--name <name>', 'name of the group'))
    .action(action<SpecOpts & AsyncOpts & { name?: string }>(async (ctx, args, o) => {
      if (!o.desktopImageId) throw new UsageError('--desktop-image-id is required');
      const op = await ctx.api.call(api.create, {
        folderId: folderOf(ctx.settings), name: o.name ?? args[0] ?? '', description: o.description ?? '',
        labels: parseLabels(o.labels ?? ''), desktopImageId: o.desktopImageId, ...specOf(o),
      });
      await finish(ctx, op, o);
    }));
  specFlags(ref(group.command('update [NAME|ID]').description('Change a desktop group (only the flags given)')))
    .option('--new-name <name>', 'new name')
    .action(action<SpecOpts & RefOpts & { newName?: string }>(async (ctx, args, o) => {
      const fields: [string, unknown][] = [
        ['name', o.newName], ['description', o.description], ['labels', o.labels], ['desktop_image_id', o.desktopImageId],
        ['resources_spec', o.resources], ['boot_disk_spec', o.bootDisk], ['data_disk_spec', o.dataDisk], ['group_config', o.groupConfig],
      ];
      if (o.networkInterface !== undefined) throw new UsageError('--network-interface cannot be changed');
      const paths = fields.filter(([, v]) => v !== undefined).map(([p]) => p);
      if (paths.length === 0) throw new UsageError('nothing to update: give a flag to change');
      const desktopGroupId = await groupId(ctx, args, o);
      const op = await ctx.api.call(api.update, {
        desktopGroupId, updateMask: { paths }, name: o.newName ?? '', description: o.description ?? '',
        labels: parseLabels(o.labels ?? ''), desktopImageId: o.desktopImageId ?? '', ...specOf(o),
      });
      await finish(ctx, op, o);
    }));
  ref(group.command('delete [NAME|ID...]').description('Delete desktop groups'))
    .option('--async', 'print the operations and return without waiting')
    .action(action<RefOpts>(async (ctx, args, o) => {
      const refs = args.length > 0 && o.id === undefined && o.name === undefined ? args.map((positional) => ({ positional })) : [{ id: o.id, name: o.name, positional: args[0] }];
      for (const r of refs) {
        const desktopGroupId = await idOf(ctx, byName, 'desktop group', r);
        await finish(ctx, await ctx.api.call(api.delete, { desktopGroupId }), o);
      }
    }));
  ref(group.command('list-desktops [NAME|ID]').description('List the desktops of a group'))
    .option('--limit <n>', 'the most desktops to show')
    .action(action<RefOpts & { limit?: string }>(async (ctx, args, o) => {
      const desktopGroupId = await groupId(ctx, args, o);
      const desktops = await allPages(o.limit, (pageToken, pageSize) =>
        ctx.api.call(api.listDesktops, { desktopGroupId, pageToken, pageSize }).then((p) => [p.desktops, p.nextPageToken]));
      ctx.out.list(DesktopSchema, desktops, [['ID', 'id'], ['NAME', 'name'], ['STATUS', 'status'], ['CREATED AT', 'created_at']]);
    }));
  ref(group.command('list-operations [NAME|ID]').description('List the operations of a group'))
    .option('--limit <n>', 'the most operations to show')
    .action(action<RefOpts & { limit?: string }>(async (ctx, args, o) => {
      const desktopGroupId = await groupId(ctx, args, o);
      const ops = await allPages(o.limit, (pageToken, pageSize) =>
        ctx.api.call(api.listOperations, { desktopGroupId, pageToken, pageSize }).then((p) => [p.operations, p.nextPageToken]));
      ctx.out.list(OperationSchema, ops, [['ID', 'id'], ['DESCRIPTION', 'description'], ['DONE', 'done'], ['CREATED AT', 'created_at']]);
    }));
  addAccessBindingCommands(group, 'desktop group', DesktopGroupService, groupId);
  return group;
}
