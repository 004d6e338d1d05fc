/**
 * Authorization interceptor: enforces the table (table.ts) after validation and before the
 * handler. Resource folders are read from the store here; a resource that does not exist
 * passes, so the handler answers NOT_FOUND, while one in a folder the caller may not use is
 * PERMISSION_DENIED. Folder ids from request fields are checked for shape first
 * (INVALID_ARGUMENT), as validation precedes authorization.
 *
 *   router.use(authorizationInterceptor(authorizer, new ResourceFolders(store, DESCRIPTORS), table, router.methods()));
 */
import type { DescField, DescMessage, Message } from '@bufbuild/protobuf';
import type { Interceptor, RegisteredMethod } from '../../transport/rpc.js';
import type { Authorizer } from '../../domain/iam/authorizer.js';
import type { ResourceFolders } from '../../domain/iam/resource-folders.js';
import type { Subject } from '../../domain/iam/subject.js';
import { PermissionDeniedError, UnauthenticatedError } from '../../domain/errors.js';
import { checkFolderId } from '../../domain/folders.js';
import { SUBJECT } from '../caller.js';
import type { Check, Rule } from './rules.js';
import type { AuthzTable } from './table.js';

type Reader = (req: Message) => string;

interface Compiled {
  rule: Rule;
  readers: Reader[];
}

/** Reads a string field by proto name, a oneof member included ('' when another member is set). */
export function fieldReader(desc: DescMessage, name: string, where: string): Reader {
  const f: DescField | undefined = desc.fields.find((x) => x.name === name);
  if (!f || f.fieldKind !== 'scalar' || f.scalar !== 9) throw new Error(`authz table: ${where} names ${name}, not a string field of ${desc.typeName}`);
  const { localName } = f;
  const oneof = f.oneof?.localName;
  return (req) => {
    const r = req as unknown as Record<string, unknown>;
    if (oneof === undefined) return r[localName] as string;
    const sel = r[oneof] as { case?: string; value?: unknown };
    return sel.case === localName ? (sel.value as string) : '';
  };
}

/** Every router method must have a rule naming real fields; throws otherwise (start-up fails). */
export function compileTable(table: AuthzTable, methods: RegisteredMethod[]): Map<string, Compiled> {
  const out = new Map<string, Compiled>();
  const missing = methods.filter((m) => !table.has(m.path)).map((m) => m.path);
  if (missing.length > 0) throw new Error(`authz table has no rule for: ${missing.join(', ')}`);
  for (const m of methods) {
    const rule = table.get(m.path)!;
    const readers = typeof rule === 'string' ? [] : rule.map((c) => fieldReader(m.method.input, c.from.field, m.path));
    out.set(m.path, { rule, readers });
  }
  return out;
}

export function authorizationInterceptor(authorizer: Authorizer, folders: ResourceFolders, rules: AuthzTable, methods: RegisteredMethod[]): Interceptor {
  const table = compileTable(rules, methods);
  return async (call, req, ctx, next) => {
    const compiled = table.get(call.path);
    if (!compiled) throw new PermissionDeniedError(`Permission denied: ${call.path} has no authorization rule`);
    const { rule, readers } = compiled;
    if (rule === 'public') return next();
    const subject = ctx.values.get(SUBJECT);
    if (!subject) throw new UnauthenticatedError('Authentication required');
    if (rule === 'authenticated' || subject.type === 'BOOTSTRAP') return next();
    if (rule === 'installation') throw new PermissionDeniedError('Permission denied: only the bootstrap credential may do this');
    for (let i = 0; i < rule.length; i++) await enforce(rule[i]!, readers[i]!(req), subject, authorizer, folders);
    return next();
  };
}

async function enforce(c: Check, value: string, subject: Subject, authorizer: Authorizer, folders: ResourceFolders): Promise<void> {
  const from = c.from;
  if ('resource' in from) {
    const id = value === '' && from.ownAccountIfEmpty && subject.type === 'SERVICE_ACCOUNT' ? subject.id : value;
    if (id === '') return; // validation or the handler reports it
    const where = await folders.of(from.resource, id);
    if (!where) return; // the handler answers NOT_FOUND
    const family = c.family === 'of-resource' ? where.family : c.family;
    if (!(await authorizer.allowed(subject, where.folderId, family, c.level))) {
      throw new PermissionDeniedError(`Permission denied to ${from.resource.label} ${id}`);
    }
    return;
  }
  if (value === '' && from.optional) return;
  checkFolderId(value, from.field);
  if (c.family === 'of-resource') throw new Error('authz table: of-resource needs a resource source');
  if (!(await authorizer.allowed(subject, value, c.family, c.level))) {
    throw new PermissionDeniedError(`Permission denied to folder ${value}`);
  }
}
