/**
 * `clouddesk iam key create|list|get|delete`: authorized keys of service accounts, as yc's
 * `iam key`. `create` writes the authorized key file (key-file.ts) and prints the key as yc
 * does, without its public key; the private key is only ever in the file.
 *
 *   clouddesk iam key create --service-account-name ci-bot --folder-id accounts --output ci-bot.json
 *   clouddesk iam key list --service-account-id aje... --format yaml
 */
import { Command } from 'commander';
import { create } from '@bufbuild/protobuf';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { KeyService } from '../../gen/yandex/cloud/iam/v1/key_service_pb.js';
import { Key_Algorithm, KeySchema } from '../../gen/yandex/cloud/iam/v1/key_pb.js';
import { action, type Ctx } from '../shared/action.js';
import { UsageError } from '../shared/globals.js';
import { finish, type AsyncOpts } from '../shared/operations.js';
import { allPages } from '../shared/paging.js';
import { serviceAccountId } from './service-account.js';
import { writeKeyFile } from './key-file.js';

const api = KeyService.method;
const ALGORITHMS: Record<string, Key_Algorithm> = { 'rsa-2048': Key_Algorithm.RSA_2048, 'rsa-4096': Key_Algorithm.RSA_4096 };

interface OwnerOpts {
  serviceAccountId?: string;
  serviceAccountName?: string;
}

const owner = (c: Command) => c.option('--service-account-id <id>', 'service account id')
  .option('--service-account-name <name>', 'service account name (in --folder-id)');
function ownerId(ctx: Ctx, o: OwnerOpts): Promise<string> {
  if ((o.serviceAccountId === undefined) === (o.serviceAccountName === undefined)) {
    throw new UsageError('give one of --service-account-id and --service-account-name');
  }
  return serviceAccountId(ctx, { id: o.serviceAccountId, name: o.serviceAccountName });
}

export function keyCommand(): Command {
  const key = new Command('key').description('Manage authorized keys of service accounts');
  owner(key.command('create').description('Create a key and write the authorized key file (JSON, mode 0600) it signs JWTs with'))
    .requiredOption('--output <file>', 'key file to create (never overwritten)')
    .option('--algorithm <alg>', 'rsa-2048 or rsa-4096', 'rsa-2048')
    .option('--description <text>', 'description')
    .action(action<OwnerOpts & { output: string; algorithm: string; description?: string }>(async (ctx, _args, o) => {
      const keyAlgorithm = ALGORITHMS[o.algorithm.toLowerCase()];
      if (keyAlgorithm === undefined) throw new UsageError(`--algorithm: "${o.algorithm}" is not rsa-2048 or rsa-4096`);
      const id = await ownerId(ctx, o);
      const res = await ctx.api.call(api.create, { serviceAccountId: id, description: o.description ?? '', keyAlgorithm });
      const k = res.key!;
      try {
        writeKeyFile(o.output, {
          id: k.id,
          service_account_id: id,
          created_at: k.createdAt ? timestampDate(k.createdAt).toISOString() : new Date().toISOString(),
          ...(k.description ? { description: k.description } : {}),
          key_algorithm: Key_Algorithm[k.keyAlgorithm],
          public_key: k.publicKey,
          private_key: res.privateKey,
        });
      } catch (err) {
        // Nobody holds its private key now: a key left behind would be usable by no one.
        await ctx.api.call(api.delete, { keyId: k.id }).catch(() => undefined);
        throw err;
      }
      ctx.out.one(KeySchema, create(KeySchema, { ...k, publicKey: '' }));
    }));
  owner(key.command('list').description('List the keys of a service account (without one: the caller\'s own)'))
    .option('--limit <n>', 'the most keys to show')
    .action(action<OwnerOpts & { limit?: string }>(async (ctx, _args, o) => {
      const id = o.serviceAccountId === undefined && o.serviceAccountName === undefined ? '' : await ownerId(ctx, o);
      const keys = await allPages(o.limit, (pageToken, pageSize) =>
        ctx.api.call(api.list, { serviceAccountId: id, pageToken, pageSize }).then((p) => [p.keys, p.nextPageToken]));
      ctx.out.list(KeySchema, keys, [['ID', 'id'], ['ALGORITHM', 'key_algorithm'], ['CREATED AT', 'created_at']]);
    }));
  key.command('get [KEY-ID]').description('Show a key').option('--id <id>', 'key id')
    .action(action<{ id?: string }>(async (ctx, args, o) => {
      ctx.out.one(KeySchema, await ctx.api.call(api.get, { keyId: keyIdOf(args, o) }));
    }));
  key.command('delete [KEY-ID]').description('Delete a key; the tokens issued with it stop working at once').option('--id <id>', 'key id')
    .option('--async', 'print the operation and return without waiting')
    .action(action<AsyncOpts & { id?: string }>(async (ctx, args, o) => {
      await finish(ctx, await ctx.api.call(api.delete, { keyId: keyIdOf(args, o) }), o);
    }));
  return key;
}

/** Keys have no names: KEY-ID or --id. */
function keyIdOf(args: string[], o: { id?: string }): string {
  const given = [args[0], o.id].filter((x) => x !== undefined);
  if (given.length !== 1) throw new UsageError('give one of KEY-ID and --id');
  return given[0]!;
}
