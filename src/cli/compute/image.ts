/**
 * `clouddesk compute image create|list|get|update|delete`, with yc's names and flags.
 *
 *   clouddesk compute image create base --source-uri https://host/base.qcow2 --folder-id standard-images
 */
import { Command } from 'commander';
import { ImageService } from '../../gen/yandex/cloud/compute/v1/image_service_pb.js';
import { ImageSchema, type Image } from '../../gen/yandex/cloud/compute/v1/image_pb.js';
import { action, type Ctx } from '../shared/action.js';
import { folderOf, UsageError } from '../shared/globals.js';
import { finish, type AsyncOpts } from '../shared/operations.js';
import { allPages } from '../shared/paging.js';
import { idOf, parseByteSize, parseLabels, type Lookup } from '../shared/refs.js';

const byName: Lookup = async (ctx, folderId, name) =>
  (await ctx.api.call(ImageService.method.list, { folderId, filter: `name="${name}"`, pageSize: 1n })).images[0]?.id;

interface RefOpts extends AsyncOpts {
  id?: string;
  name?: string;
}

function listAll(ctx: Ctx, o: { filter?: string; limit?: string }): Promise<Image[]> {
  const folderId = folderOf(ctx.settings);
  return allPages(o.limit, (pageToken, pageSize) =>
    ctx.api.call(ImageService.method.list, { folderId, filter: o.filter ?? '', pageToken, pageSize }).then((p) => [p.images, p.nextPageToken]));
}

interface CreateOpts extends AsyncOpts {
  name?: string;
  description?: string;
  labels?: string;
  family?: string;
  minDiskSize?: string;
  sourceUri?: string;
}

export function computeImageCommand(): Command {
  const image = new Command('image').description('Manage Compute images');
  image.command('create [IMAGE-NAME]').description('Create an image from a file at a URL (qcow2 or raw)')
    .option('--name <name>', 'image name')
    .option('--description <text>', 'description')
    .option('--labels <key=value[,key=value...]>', 'labels')
    .option('--family <family>', 'image family')
    .option('--min-disk-size <size>', 'smallest disk made from it, e.g. 10G')
    .option('--source-uri <uri>', 'http(s) URL of the image file')
    .option('--async', 'print the operation and return without waiting')
    .action(action<CreateOpts>(async (ctx, args, o) => {
      if (args[0] !== undefined && o.name !== undefined) throw new UsageError('give the name once: IMAGE-NAME or --name');
      if (!o.sourceUri) throw new UsageError('--source-uri is required');
      const op = await ctx.api.call(ImageService.method.create, {
        folderId: folderOf(ctx.settings), name: args[0] ?? o.name ?? '', description: o.description ?? '',
        labels: parseLabels(o.labels ?? ''), family: o.family ?? '',
        minDiskSize: o.minDiskSize === undefined ? 0n : parseByteSize('--min-disk-size', o.minDiskSize),
        source: { case: 'uri', value: o.sourceUri },
      });
      await finish(ctx, op, o);
    }));
  image.command('list').description('List the images of a folder')
    .option('--filter <expr>', 'filter expression, e.g. family="ubuntu"')
    .option('--limit <n>', 'the most images to show')
    .action(action<{ filter?: string; limit?: string }>(async (ctx, _args, o) => {
      ctx.out.list(ImageSchema, await listAll(ctx, o), [['ID', 'id'], ['NAME', 'name'], ['FAMILY', 'family'], ['PRODUCT IDS', 'product_ids'], ['STATUS', 'status']]);
    }));
  image.command('get [IMAGE-NAME|IMAGE-ID]').description('Show an image')
    .option('--id <id>', 'image id').option('--name <name>', 'image name')
    .action(action<RefOpts>(async (ctx, args, o) => {
      const imageId = await idOf(ctx, byName, 'image', { id: o.id, name: o.name, positional: args[0] });
      ctx.out.one(ImageSchema, await ctx.api.call(ImageService.method.get, { imageId }));
    }));
  image.command('update [IMAGE-NAME|IMAGE-ID]').description('Change an image\'s name, description, labels or minimum disk size')
    .option('--id <id>', 'image id').option('--name <name>', 'image name')
    .option('--new-name <name>', 'new name')
    .option('--description <text>', 'new description')
    .option('--labels <key=value[,key=value...]>', 'labels (replace all)')
    .option('--min-disk-size <size>', 'smallest disk made from it, e.g. 10G')
    .option('--async', 'print the operation and return without waiting')
    .action(action<RefOpts & { newName?: string; description?: string; labels?: string; minDiskSize?: string }>(async (ctx, args, o) => {
      const fields = { name: o.newName, description: o.description, labels: o.labels, min_disk_size: o.minDiskSize };
      const paths = Object.entries(fields).filter(([, v]) => v !== undefined).map(([k]) => k);
      if (paths.length === 0) throw new UsageError('nothing to update: give --new-name, --description, --labels or --min-disk-size');
      const imageId = await idOf(ctx, byName, 'image', { id: o.id, name: o.name, positional: args[0] });
      const op = await ctx.api.call(ImageService.method.update, {
        imageId, updateMask: { paths }, name: o.newName ?? '', description: o.description ?? '', labels: parseLabels(o.labels ?? ''),
        minDiskSize: o.minDiskSize === undefined ? 0n : parseByteSize('--min-disk-size', o.minDiskSize),
      });
      await finish(ctx, op, o);
    }));
  image.command('delete [IMAGE-NAME|IMAGE-ID...]').description('Delete images')
    .option('--id <id>', 'image id').option('--name <name>', 'image name')
    .option('--async', 'print the operations and return without waiting')
    .action(action<RefOpts>(async (ctx, args, o) => {
      const refs = args.length > 0 && o.id === undefined && o.name === undefined ? args.map((positional) => ({ positional })) : [{ id: o.id, name: o.name, positional: args[0] }];
      for (const ref of refs) {
        const imageId = await idOf(ctx, byName, 'image', ref);
        await finish(ctx, await ctx.api.call(ImageService.method.delete, { imageId }), o);
      }
    }));
  return image;
}
