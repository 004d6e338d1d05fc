/**
 * `clouddesk desktops image list|get|copy|update|delete`, with yc's names and flags.
 *
 *   clouddesk desktops image copy --compute-image-id fd8... --new-image-name win --folder-id team-a
 *   clouddesk desktops image update win --new-name win-2 --labels env=prod
 */
import { Command } from 'commander';
import { DesktopImageService } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { DesktopImageSchema, type DesktopImage } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_image_pb.js';
import { action, type Ctx } from '../shared/action.js';
import { folderOf, UsageError } from '../shared/globals.js';
import { finish, type AsyncOpts } from '../shared/operations.js';
import { allPages } from '../shared/paging.js';
import { idOf, parseLabels, type Lookup } from '../shared/refs.js';

const byName: Lookup = async (ctx, folderId, name) =>
  (await ctx.api.call(DesktopImageService.method.list, { folderId, filter: `name="${name}"`, pageSize: 1n })).desktopImages[0]?.id;

interface RefOpts extends AsyncOpts {
  id?: string;
  name?: string;
}

function listAll(ctx: Ctx, o: { filter?: string; limit?: string }): Promise<DesktopImage[]> {
  const folderId = folderOf(ctx.settings);
  return allPages(o.limit, (pageToken, pageSize) =>
    ctx.api.call(DesktopImageService.method.list, { folderId, filter: o.filter ?? '', pageToken, pageSize }).then((p) => [p.desktopImages, p.nextPageToken]));
}

export function desktopImageCommand(): Command {
  const image = new Command('image').description('Manage desktop images');
  image.command('list').description('List desktop images of a folder')
    .option('--filter <expr>', 'filter expression, e.g. name="win"')
    .option('--limit <n>', 'the most images to show')
    .action(action<{ filter?: string; limit?: string }>(async (ctx, _args, o) => {
      ctx.out.list(DesktopImageSchema, await listAll(ctx, o), [['ID', 'id'], ['NAME', 'name'], ['STATUS', 'status'], ['CREATED AT', 'created_at']]);
    }));
  image.command('get [IMAGE-NAME|IMAGE-ID]').description('Show a desktop image')
    .option('--id <id>', 'image id').option('--name <name>', 'image name')
    .action(action<RefOpts>(async (ctx, args, o) => {
      const imageId = await idOf(ctx, byName, 'desktop image', { id: o.id, name: o.name, positional: args[0] });
      ctx.out.one(DesktopImageSchema, await ctx.api.call(DesktopImageService.method.get, { imageId }));
    }));
  image.command('copy').description('Copy a Compute image (Copy) or a desktop (CopyFromDesktop) into a new desktop image')
    .option('--compute-image-id <id>', 'Compute image to copy')
    .option('--desktop-id <id>', 'desktop to copy')
    .option('--new-image-name <name>', 'name of the new image')
    .option('--description <text>', 'description of the new image')
    .option('--labels <key=value[,key=value...]>', 'labels of the new image')
    .option('--async', 'print the operation and return without waiting')
    .action(action<AsyncOpts & { computeImageId?: string; desktopId?: string; newImageName?: string; description?: string; labels?: string }>(
      async (ctx, _args, o) => {
        if (Boolean(o.computeImageId) === Boolean(o.desktopId)) throw new UsageError('give one of --compute-image-id and --desktop-id');
        const common = { folderId: folderOf(ctx.settings), name: o.newImageName ?? '', description: o.description ?? '', labels: parseLabels(o.labels ?? '') };
        const op = o.computeImageId
          ? await ctx.api.call(DesktopImageService.method.copy, { ...common, imageId: o.computeImageId })
          : await ctx.api.call(DesktopImageService.method.copyFromDesktop, { ...common, desktopId: o.desktopId! });
        await finish(ctx, op, o);
      },
    ));
  image.command('update [IMAGE-NAME|IMAGE-ID]').description('Rename a desktop image or replace its labels')
    .option('--id <id>', 'image id').option('--name <name>', 'image name')
    .option('--new-name <name>', 'new name')
    .option('--labels <key=value[,key=value...]>', 'labels (replace all)')
    .option('--async', 'print the operation and return without waiting')
    .action(action<RefOpts & { newName?: string; labels?: string }>(async (ctx, args, o) => {
      const paths = [...(o.newName !== undefined ? ['name'] : []), ...(o.labels !== undefined ? ['labels'] : [])];
      if (paths.length === 0) throw new UsageError('nothing to update: give --new-name or --labels');
      const imageId = await idOf(ctx, byName, 'desktop image', { id: o.id, name: o.name, positional: args[0] });
      const op = await ctx.api.call(DesktopImageService.method.update, {
        imageId, updateMask: { paths }, name: o.newName ?? '', labels: parseLabels(o.labels ?? ''),
      });
      await finish(ctx, op, o);
    }));
  image.command('delete [IMAGE-NAME|IMAGE-ID...]').description('Delete desktop images')
    .option('--id <id>', 'image id').option('--name <name>', 'image name')
    .option('--async', 'print the operations and return without waiting')
    .action(action<RefOpts>(async (ctx, args, o) => {
      const refs = args.length > 0 && o.id === undefined && o.name === undefined ? args.map((positional) => ({ positional })) : [{ id: o.id, name: o.name, positional: args[0] }];
      for (const ref of refs) {
        const imageId = await idOf(ctx, byName, 'desktop image', ref);
        await finish(ctx, await ctx.api.call(DesktopImageService.method.delete, { imageId }), o);
      }
    }));
  return image;
}
