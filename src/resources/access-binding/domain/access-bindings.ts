/**
 * Access bindings (List / Set / UpdateAccessBindings) of one kind of target: any folder id
 * (FolderService), or a desktop group (DesktopGroupService). A change applies in the
 * transaction that accepts its Operation, which reports the effective deltas. Nobody grants or
 * revokes more than they hold: every role a change touches must be covered by the caller's own
 * grants there, so a vdi.admin manages vdi.* bindings and only an admin grants admin.
 *
 *   const folders = new AccessBindings(store, runner, pager, authorizer, FOLDER_TARGET);
 *   const op = await folders.update(folderId, [{ action: 'ADD', binding, field }], caller);
 */
import type { Repos, Store } from '../../../domain/store.js';
import type { Caller } from '../../../domain/caller.js';
import { InvalidArgumentError, PermissionDeniedError, type FieldViolation } from '../../../domain/errors.js';
import { checkFolderId } from '../../../domain/folders.js';
import type { Operation } from '../../../domain/operation/operation.js';
import type { OperationRunner, OperationSpec } from '../../../domain/operation/runner.js';
import type { Pager } from '../../../domain/listing/pager.js';
import { pageOf, type ListResult, type PageRequest } from '../../../domain/listing/list-request.js';
import type { Authorizer } from '../../../domain/iam/authorizer.js';
import { covers } from '../../../domain/iam/permissions.js';
import { roleById } from '../../../domain/iam/roles.js';
import {
  accessBindingDetails, ALL_AUTHENTICATED_USERS, FOLDER_BINDINGS, FOLDER_SCOPE, type AccessBinding, type AccessBindingDelta, type BindingScope,
} from './access-binding.js';
import { ACCESS_BINDING_KIND } from './jobs.js';

/**
 * What bindings are changed on: a folder (FolderService) or a desktop group
 * (DesktopGroupService). The target resolves the request's resource id — checking its shape or
 * that it exists — to the binding scope, the folder the operation belongs to, and the scopes
 * whose grants the caller holds there (a group's caller holds the folder's roles too).
 */
export interface BindingTarget {
  readonly ops: { readonly set: OperationSpec; readonly update: OperationSpec };
  /** What a refusal calls it: `folder`, `desktop group`. */
  readonly label: string;
  resolve(tx: Repos, id: string): Promise<{ scope: BindingScope; folderId: string; held: readonly BindingScope[] }>;
}

/** A binding as the request states it, with the field path to report problems against. */
export interface BindingInput {
  binding: { roleId: string; subjectType: string; subjectId: string };
  field: string;
}

type Change = { kind: 'set'; bindings: BindingInput[] } | { kind: 'update'; deltas: (BindingInput & { action: 'ADD' | 'REMOVE' })[] };

export class AccessBindings {
  constructor(
    private readonly store: Store,
    private readonly runner: OperationRunner,
    private readonly pager: Pager,
    private readonly authorizer: Authorizer,
    private readonly target: BindingTarget,
  ) {}

  async list(resourceId: string, req: PageRequest): Promise<ListResult<AccessBinding>> {
    const { scope } = await this.store.read((tx) => this.target.resolve(tx, resourceId));
    return pageOf(this.pager, { scopeId: resourceId, kind: scope.type === FOLDER_SCOPE ? 'access-bindings' : `${scope.type}-access-bindings` }, req, (limit, after) =>
      this.store.read((tx) => tx.accessBindings.listOn(scope, limit, after)),
    );
  }

  set(resourceId: string, bindings: BindingInput[], caller: Caller): Promise<Operation> {
    return this.change(resourceId, { kind: 'set', bindings }, caller);
  }

  update(resourceId: string, deltas: (BindingInput & { action: 'ADD' | 'REMOVE' })[], caller: Caller): Promise<Operation> {
    return this.change(resourceId, { kind: 'update', deltas }, caller);
  }

  private async change(resourceId: string, change: Change, caller: Caller): Promise<Operation> {
    const where = await this.store.read((tx) => this.target.resolve(tx, resourceId));
    if (!caller.subject) throw new PermissionDeniedError(`Permission denied to ${this.target.label} ${resourceId}`);
    const held = await this.authorizer.grantsOn(caller.subject, where.held);
    const set = change.kind === 'set';
    const op = await this.runner.submit(caller, set ? this.target.ops.set : this.target.ops.update, async (tx) => {
      const { scope, folderId } = await this.target.resolve(tx, resourceId);
      const inputs = change.kind === 'set' ? change.bindings : change.deltas;
      await checkBindings(tx, inputs);
      const effective = change.kind === 'set' ? await applySet(tx, scope, change.bindings) : await applyDeltas(tx, scope, change.deltas);
      for (const d of effective) {
        const role = roleById(d.binding.roleId)!;
        if (!role.grants.every((g) => covers(held, g))) {
          throw new PermissionDeniedError(`Permission denied to ${d.action === 'ADD' ? 'grant' : 'revoke'} role ${role.id} on ${this.target.label} ${resourceId}`);
        }
      }
      await this.authorizer.announce(tx);
      return {
        resourceId,
        folderId,
        details: accessBindingDetails(scope, folderId, effective),
        params: { effectiveDeltas: effective },
      };
    });
    return op;
  }
}

/** Known role; a subject clouddesk can authenticate: an existing service account or allAuthenticatedUsers. */
async function checkBindings(tx: Repos, inputs: BindingInput[]): Promise<void> {
  const violations: FieldViolation[] = [];
  for (const { binding: b, field } of inputs) {
    if (!roleById(b.roleId)) violations.push({ field: `${field}.role_id`, description: `Role ${b.roleId} not found` });
    if (b.subjectType === 'serviceAccount') {
      if (!(await tx.serviceAccounts.get(b.subjectId))) {
        violations.push({ field: `${field}.subject.id`, description: `Service account ${b.subjectId} not found` });
      }
    } else if (b.subjectType === 'system') {
      if (b.subjectId !== ALL_AUTHENTICATED_USERS) {
        violations.push({ field: `${field}.subject.id`, description: `The only system subject is ${ALL_AUTHENTICATED_USERS}` });
      }
    } else {
      violations.push({ field: `${field}.subject.type`, description: 'Subject type must be serviceAccount or system' });
    }
  }
  if (violations.length > 0) throw new InvalidArgumentError(violations);
}

function bindingOf(scope: BindingScope, b: BindingInput['binding']): AccessBinding {
  return { resourceType: scope.type, resourceId: scope.id, roleId: b.roleId, subjectType: b.subjectType as AccessBinding['subjectType'], subjectId: b.subjectId };
}

function deltaOf(action: 'ADD' | 'REMOVE', b: AccessBinding): AccessBindingDelta {
  return { action, binding: { roleId: b.roleId, subjectType: b.subjectType, subjectId: b.subjectId } };
}

async function applySet(tx: Repos, scope: BindingScope, inputs: BindingInput[]): Promise<AccessBindingDelta[]> {
  const key = (b: AccessBinding) => `${b.roleId}\n${b.subjectType}\n${b.subjectId}`;
  const wanted = new Map(inputs.map((i) => bindingOf(scope, i.binding)).map((b) => [key(b), b]));
  const out: AccessBindingDelta[] = [];
  for (const b of await tx.accessBindings.allOn(scope)) {
    if (wanted.delete(key(b))) continue;
    await tx.accessBindings.delete(b);
    out.push(deltaOf('REMOVE', b));
  }
  for (const b of wanted.values()) {
    await tx.accessBindings.insert(b);
    out.push(deltaOf('ADD', b));
  }
  return out;
}

async function applyDeltas(tx: Repos, scope: BindingScope, deltas: (BindingInput & { action: 'ADD' | 'REMOVE' })[]): Promise<AccessBindingDelta[]> {
  const out: AccessBindingDelta[] = [];
  for (const d of deltas) {
    const b = bindingOf(scope, d.binding);
    const changed = d.action === 'ADD' ? await tx.accessBindings.insert(b) : await tx.accessBindings.delete(b);
    if (changed) out.push(deltaOf(d.action, b));
  }
  return out;
}

/** FolderService's target: any well-formed folder id names a folder (docs/decisions.md point 4). */
export const FOLDER_TARGET: BindingTarget = {
  label: 'folder',
  ops: {
    set: { kind: ACCESS_BINDING_KIND.set, resource: FOLDER_BINDINGS, description: 'Set access bindings', metadataType: 'yandex.cloud.access.SetAccessBindingsMetadata', metadataId: 'resourceId' },
    update: { kind: ACCESS_BINDING_KIND.update, resource: FOLDER_BINDINGS, description: 'Update access bindings', metadataType: 'yandex.cloud.access.UpdateAccessBindingsMetadata', metadataId: 'resourceId' },
  },
  async resolve(_tx, id) {
    checkFolderId(id, 'resource_id');
    const scope = { type: FOLDER_SCOPE, id };
    return { scope, folderId: id, held: [scope] };
  },
};
