/**
 * Authorization interceptor: enforces the table (table.ts) after validation and before the
 * handler. Resource folders are read from the store here; a resource that does not exist is
 * NOT_FOUND and one in a folder the caller may not use is PERMISSION_DENIED, so no rule ever
 * passes on a missing resource. Folder ids from request fields are checked for shape first
 * (INVALID_ARGUMENT), as validation precedes authorization.
 *
 *   router.use(authorizationInterceptor(authorizer, new ResourceFolders(store, DESCRIPTORS), table, router.methods()));
 */
import type { DescField, DescMessage, Message } from '@bufbuild/protobuf';
import type { CallContext, Interceptor, RegisteredMethod } from '../../transport/rpc.js';
import { folderScope, type Authorizer } from '../../domain/iam/authorizer.js';
import type { ResourceFolders } from '../../domain/iam/resource-folders.js';
import type { Subject } from '../../domain/iam/subject.js';
import { NotFoundError, PermissionDeniedError, UnauthenticatedError } from '../../domain/errors.js';
import { checkFolderId } from '../../domain/folders.js';
import { OWNED_BY, SUBJECT } from '../caller.js';
import type { Check, Rule } from './rules.js';
import type { AuthzTable } from './table.js';

type Reader = (req: Message) => string;

interface Compiled {
  rule: Rule;
  /** Per check: the field it reads, and the field that must be empty for it to apply. */
  readers: { value: Reader; whenEmpty?: Reader }[];
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
    const readers = typeof rule === 'string' ? [] : rule.map((c) => ({
      value: fieldReader(m.method.input, c.from.field, m.path),
      ...(c.whenEmpty && { whenEmpty: fieldReader(m.method.input, c.whenEmpty, m.path) }),
    }));
    out.set(m.path, { rule, readers });
  }
  return out;
}

export function authorizationInterceptor(authorizer: Authorizer, folders: ResourceFolders, rules: AuthzTable, methods: RegisteredMethod[]): Interceptor {
  const table = compileTable(rules, methods);
  const checked = async (checks: readonly Check[], readers: Compiled['readers'], subject: Subject, req: Message, ctx: CallContext, next: () => Promise<Message>): Promise<Message> => {
    for (let i = 0; i < checks.length; i++) {
      const reader = readers[i]!;
      if (reader.whenEmpty && reader.whenEmpty(req) !== '') continue;
      const owned = await enforce(checks[i]!, reader.value(req), subject, authorizer, folders);
      if (owned) ctx.values.set(OWNED_BY, subject.id);
    }
    return next();
  };
  // Not async: a call that needs no check goes on with the next stage's own promise (see
  // Interceptor in transport/rpc.ts). A refusal is thrown, which dispatch catches alike.
  return (call, req, ctx, next) => {
    const compiled = table.get(call.path);
    if (!compiled) throw new PermissionDeniedError(`Permission denied: ${call.path} has no authorization rule`);
    const { rule, readers } = compiled;
    if (rule === 'public') return next();
    const subject = ctx.values.get(SUBJECT);
    if (!subject) throw new UnauthenticatedError('Authentication required');
    if (rule === 'authenticated' || subject.type === 'BOOTSTRAP') return next();
    if (rule === 'installation') throw new PermissionDeniedError('Permission denied: only the bootstrap credential may do this');
    return checked(rule, readers, subject, req, ctx, next);
  };
}

/**
 * Throws unless the check passes. Returns true when it passed only because the caller owns
 * what it asks for: in a collection it sees what it owns, on one resource it acts for itself. A resource that does not exist never passes: NOT_FOUND
 * (docs/decisions.md point 6).
 */
async function enforce(c: Check, value: string, subject: Subject, authorizer: Authorizer, folders: ResourceFolders): Promise<boolean> {
  const from = c.from;
  if ('resource' in from) {
    const id = value === '' && from.ownAccountIfEmpty && subject.type === 'SERVICE_ACCOUNT' ? subject.id : value;
    if (id === '') return false; // an optional member of a oneof that is not set; validation reports required ones
    const where = await folders.of(from.resource, id);
    if (!where) throw new NotFoundError(`${capitalized(from.resource.label)} ${id} not found`);
    const family = c.family === 'of-resource' ? where.family : c.family;
    if (await authorizer.allowed(subject, where.scopes, family, c.level)) return false;
    if (c.owner && (await authorizer.allowed(subject, where.scopes, family, 'useOwn'))) {
      // A collection inside it: the caller sees what it owns. One resource: its owners may, each
      // acting for itself only (a shared desktop's user resets its own password, no other's).
      if (!where.owners || where.owners.includes(subject.id)) return true;
    }
    throw new PermissionDeniedError(`Permission denied to ${from.resource.label} ${id}`);
  }
  if (value === '' && from.optional) return false;
  checkFolderId(value, from.field);
  if (c.family === 'of-resource') throw new Error('authz table: of-resource needs a resource source');
  const scopes = [folderScope(value)];
  if (await authorizer.allowed(subject, scopes, c.family, c.level)) return false;
  if (c.owner && (await authorizer.allowed(subject, scopes, c.family, 'useOwn'))) return true;
  throw new PermissionDeniedError(`Permission denied to folder ${value}`);
}

function capitalized(label: string): string {
  return label.charAt(0).toUpperCase() + label.slice(1);
}
