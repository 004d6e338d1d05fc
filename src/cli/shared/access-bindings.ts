/**
 * Access binding commands of a resource, as yc names them: `list-access-bindings`,
 * `set-access-bindings --access-binding role=R,subject=TYPE:ID`, `add-access-binding` and
 * `remove-access-binding` with `--role` and one of `--subject TYPE:ID`, `--service-account-id`,
 * `--user-account-id`. Any service with the three yandex.cloud.access RPCs serves them: desktop
 * groups (`desktops group`) and folders (`iam folder`).
 *
 *   addAccessBindingCommands(group, 'desktop group', DesktopGroupService, resolveGroupId);
 */
import type { Command } from 'commander';
import type { DescMethodUnary } from '@bufbuild/protobuf';
import {
  AccessBindingAction, AccessBindingSchema, ListAccessBindingsRequestSchema, ListAccessBindingsResponseSchema,
  SetAccessBindingsRequestSchema, UpdateAccessBindingsRequestSchema,
} from '../../gen/yandex/cloud/access/access_pb.js';
import { OperationSchema } from '../../gen/yandex/cloud/operation/operation_pb.js';
import { action, type Ctx } from './action.js';
import { UsageError } from './globals.js';
import { finish, type AsyncOpts } from './operations.js';
import { allPages } from './paging.js';
import { collect } from './refs.js';

interface RefOpts extends AsyncOpts {
  id?: string;
  name?: string;
}

interface SubjectOpts {
  subject?: string;
  serviceAccountId?: string;
  userAccountId?: string;
}

/** The access RPCs a resource's service shares (DesktopGroupService, FolderService, ...). */
export interface AccessBindingService {
  readonly method: {
    readonly listAccessBindings: DescMethodUnary<typeof ListAccessBindingsRequestSchema, typeof ListAccessBindingsResponseSchema>;
    readonly setAccessBindings: DescMethodUnary<typeof SetAccessBindingsRequestSchema, typeof OperationSchema>;
    readonly updateAccessBindings: DescMethodUnary<typeof UpdateAccessBindingsRequestSchema, typeof OperationSchema>;
  };
}

/** The system subject may be named bare, as `clouddesk iam` always took it. */
const SYSTEM_SUBJECTS = ['allAuthenticatedUsers'];

function subjectOf(flag: string, text: string): { id: string; type: string } {
  if (SYSTEM_SUBJECTS.includes(text)) return { id: text, type: 'system' };
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) throw new UsageError(`${flag}: "${text}" is not TYPE:ID, e.g. serviceAccount:aje...`);
  return { type: text.slice(0, colon), id: text.slice(colon + 1) };
}

function oneSubject(o: SubjectOpts): { id: string; type: string } {
  const given = [o.subject, o.serviceAccountId, o.userAccountId].filter((x) => x !== undefined);
  if (given.length !== 1) throw new UsageError('give one of --subject, --service-account-id and --user-account-id');
  if (o.serviceAccountId) return { id: o.serviceAccountId, type: 'serviceAccount' };
  if (o.userAccountId) return { id: o.userAccountId, type: 'userAccount' };
  return subjectOf('--subject', o.subject!);
}

type Resolve = (ctx: Ctx, args: string[], o: RefOpts) => Promise<string>;

export function addAccessBindingCommands(cmd: Command, what: string, service: AccessBindingService, resolve: Resolve): void {
  const api = service.method;
  const ref = (c: Command) => c.option('--id <id>', `${what} id`).option('--name <name>', `${what} name`);
  ref(cmd.command('list-access-bindings [NAME|ID]').description(`List the access bindings of a ${what}`))
    .action(action<RefOpts>(async (ctx, args, o) => {
      const resourceId = await resolve(ctx, args, o);
      const bindings = await allPages(undefined, (pageToken) =>
        ctx.api.call(api.listAccessBindings, { resourceId, pageToken }).then((p) => [p.accessBindings, p.nextPageToken]));
      ctx.out.list(AccessBindingSchema, bindings, [['ROLE ID', 'role_id'], ['SUBJECT', 'subject']]);
    }));
  ref(cmd.command('set-access-bindings [NAME|ID]').description(`Replace every access binding of a ${what}`))
    .option('--access-binding <role=R,subject=TYPE:ID>', 'a binding (repeat the flag for more; none: remove all)', collect)
    .option('--async', 'print the operation and return without waiting')
    .action(action<RefOpts & { accessBinding?: string[] }>(async (ctx, args, o) => {
      const accessBindings = (o.accessBinding ?? []).map((text) => {
        const m = /^role=([^,]+),subject=(.+)$/.exec(text);
        if (!m) throw new UsageError(`--access-binding: "${text}" is not role=ROLE,subject=TYPE:ID`);
        return { roleId: m[1]!, subject: subjectOf('--access-binding', m[2]!) };
      });
      const resourceId = await resolve(ctx, args, o);
      await finish(ctx, await ctx.api.call(api.setAccessBindings, { resourceId, accessBindings }), o);
    }));
  for (const [name, act, verb] of [['add-access-binding', AccessBindingAction.ADD, 'Add'], ['remove-access-binding', AccessBindingAction.REMOVE, 'Remove']] as const) {
    ref(cmd.command(`${name} [NAME|ID]`).description(`${verb} an access binding of a ${what}`))
      .requiredOption('--role <role>', 'role id, e.g. vdi.viewer')
      .option('--subject <TYPE:ID>', 'e.g. userAccount:aje..., system:allAuthenticatedUsers (or just allAuthenticatedUsers)')
      .option('--service-account-id <id>', 'a service account')
      .option('--user-account-id <id>', 'a user account')
      .option('--async', 'print the operation and return without waiting')
      .action(action<RefOpts & SubjectOpts & { role: string }>(async (ctx, args, o) => {
        const subject = oneSubject(o);
        const resourceId = await resolve(ctx, args, o);
        const op = await ctx.api.call(api.updateAccessBindings, {
          resourceId, accessBindingDeltas: [{ action: act, accessBinding: { roleId: o.role, subject } }],
        });
        await finish(ctx, op, o);
      }));
  }
}
