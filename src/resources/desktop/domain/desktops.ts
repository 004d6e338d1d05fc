/**
 * Desktop use cases: Get, List (of a folder), ListOperations, Create, UpdateProperties and
 * Delete (docs/decisions.md point 16). Power (start, stop, restart, re-sync) is in power.ts,
 * passwords and RDP files in access.ts. Create hands out a ready standby desktop when the group
 * keeps some, else makes a new one; at most `max_desktops_amount` per group, checked in the
 * transaction that inserts.
 *
 *   const op = await desktops.create({ desktopGroupId, users: [{ subjectId, subjectType }] }, caller);
 */
import type { Repos, Store } from '../../../domain/store.js';
import type { Clock } from '../../../clock.js';
import type { Caller } from '../../../domain/caller.js';
import { idFor } from '../../../domain/resource.js';
import type { Operation } from '../../../domain/operation/operation.js';
import type { Operations } from '../../../domain/operation/operations.js';
import type { OperationRunner } from '../../../domain/operation/runner.js';
import { FailedPreconditionError, InvalidArgumentError, NotFoundError, type FieldViolation } from '../../../domain/errors.js';
import { checkFolderId } from '../../../domain/folders.js';
import { listPage, type ListRequest, type ListResult, type PageRequest } from '../../../domain/listing/list-request.js';
import type { Pager } from '../../../domain/listing/pager.js';
import { applyUpdateMask } from '../../../domain/update-mask.js';
import { effectiveMax, type DesktopGroup } from '../../desktop-group/domain/desktop-group.js';
import { checkUnlocked, DESKTOP, DESKTOP_LIST, stateMessage, type Desktop, type DesktopUser } from './desktop.js';
import { DESKTOP_OPS } from './kinds.js';
import type { DesktopQuota } from './quota.js';

export interface CreateDesktopInput {
  desktopGroupId: string;
  subnetId: string;
  users: DesktopUser[];
  name: string;
  labels: Record<string, string>;
  description: string;
}

export interface UpdatePropertiesInput {
  desktopId: string;
  paths: string[];
  name: string;
  labels: Record<string, string>;
  description: string;
}

const details = (d: Desktop) => DESKTOP.details!(d);

export class Desktops {
  constructor(
    private readonly store: Store,
    private readonly runner: OperationRunner,
    private readonly pager: Pager,
    private readonly clock: Clock,
    private readonly operations: Operations,
    private readonly quota: DesktopQuota,
  ) {}

  async get(id: string): Promise<Desktop> {
    const desktop = await this.store.read((tx) => tx.desktops.get(id));
    if (!desktop) throw new NotFoundError(`Desktop ${id} not found`);
    return desktop;
  }

  async list(req: ListRequest): Promise<ListResult<Desktop>> {
    checkFolderId(req.folderId, 'folder_id');
    return listPage(this.pager, req, DESKTOP_LIST, (q) => this.store.read((tx) => tx.desktops.list(q)));
  }

  async listOperations(id: string, req: PageRequest): Promise<ListResult<Operation>> {
    await this.get(id);
    return this.operations.ofResource(id, req, 'desktop-operations');
  }

  async create(input: CreateDesktopInput, caller: Caller): Promise<Operation> {
    return this.runner.submit(caller, DESKTOP_OPS.create, async (tx) => {
      const group = await tx.desktopGroups.get(input.desktopGroupId);
      if (!group) throw new NotFoundError(`Desktop group ${input.desktopGroupId} not found`);
      if (group.status !== 'ACTIVE' && group.status !== 'UPDATING') {
        throw new FailedPreconditionError(`Desktop group ${group.id} is ${group.status}`);
      }
      checkUsers(group, input.users);
      const subnetId = subnetOf(group, input.subnetId);
      const standby = await tx.desktops.findStandby(group.id);
      const fields = { name: input.name, labels: input.labels, description: input.description, users: input.users };
      if (standby) {
        // A hot standby is handed out as it is: running, made from the group's image.
        const taken: Desktop = { ...standby, ...fields, networkInterfaces: nicsOf(group, subnetId) };
        await tx.desktops.update(taken);
        return { resourceId: taken.id, folderId: taken.folderId, details: details(taken), params: { standby: true } };
      }
      await this.admitOne(tx, group);
      const desktop = this.newDesktop(group, subnetId, fields);
      await tx.desktops.insert(desktop);
      return { resourceId: desktop.id, folderId: desktop.folderId, details: details(desktop) };
    });
  }

  /**
   * Whether the group may have one more desktop row: its maximum, then the folder's quotas.
   * Every new row passes here, standbys made by the keeper included.
   */
  async admitOne(tx: Repos, group: DesktopGroup): Promise<void> {
    if ((await tx.desktops.countInGroup(group.id)) + 1 > effectiveMax(group)) {
      throw new FailedPreconditionError(`Desktop group ${group.id} already has its maximum of ${effectiveMax(group)} desktops`);
    }
    await this.quota.checkDesktops(tx, group.folderId, group);
  }

  /** A new desktop row of the group, CREATING; `users` empty makes a standby. */
  newDesktop(group: DesktopGroup, subnetId: string, fields: Pick<Desktop, 'name' | 'labels' | 'description' | 'users'>): Desktop {
    return {
      id: idFor(DESKTOP),
      folderId: group.folderId,
      desktopGroupId: group.id,
      createdAt: this.clock.now(),
      status: 'CREATING',
      ...fields,
      resources: { ...group.resources },
      networkInterfaces: nicsOf(group, subnetId),
      imageId: group.desktopImageId,
      lockedBy: null,
    };
  }

  async updateProperties(input: UpdatePropertiesInput, caller: Caller): Promise<Operation> {
    const patch = applyUpdateMask(input.paths, ['name', 'labels', 'description'], {
      name: input.name, labels: input.labels, description: input.description,
    });
    return this.runner.submit(caller, DESKTOP_OPS.updateProperties, async (tx) => {
      const desktop = await this.existing(tx, input.desktopId);
      if (desktop.status === 'DELETING') throw new FailedPreconditionError(stateMessage(desktop));
      return { resourceId: desktop.id, folderId: desktop.folderId, details: details(desktop), params: { patch } };
    });
  }

  async delete(id: string, caller: Caller): Promise<Operation> {
    return this.runner.submit(caller, DESKTOP_OPS.delete, async (tx) => {
      const desktop = await this.existing(tx, id);
      checkUnlocked(desktop);
      if (!['ACTIVE', 'STOPPED', 'ERROR', 'CREATION_FAILED'].includes(desktop.status)) throw new FailedPreconditionError(stateMessage(desktop));
      await tx.desktops.update({ ...desktop, status: 'DELETING' });
      return { resourceId: desktop.id, folderId: desktop.folderId, details: details(desktop), params: { previous: desktop.status } };
    });
  }

  private async existing(tx: Repos, id: string): Promise<Desktop> {
    const desktop = await tx.desktops.get(id);
    if (!desktop) throw new NotFoundError(`Desktop ${id} not found`);
    return desktop;
  }
}

/** With members, each user must be one of them (point 16). */
function checkUsers(group: DesktopGroup, users: DesktopUser[]): void {
  if (group.config.members.length === 0) return;
  const members = new Set(group.config.members.map((m) => m.id));
  const violations: FieldViolation[] = users.flatMap((u, i) =>
    members.has(u.subjectId) ? [] : [{ field: `users[${i}].subject_id`, description: `Subject ${u.subjectId} is not a member of desktop group ${group.id}` }],
  );
  if (violations.length > 0) throw new InvalidArgumentError(violations);
}

/** The subnet asked for must be one of the group's; none asked: the group's first (point 16). */
function subnetOf(group: DesktopGroup, subnetId: string): string {
  const subnets = group.network?.subnetIds ?? [];
  if (subnetId === '') return subnets[0] ?? '';
  if (!subnets.includes(subnetId)) {
    throw InvalidArgumentError.field('subnet_id', `Subnet ${subnetId} is not one of the subnets of desktop group ${group.id}`);
  }
  return subnetId;
}

function nicsOf(group: DesktopGroup, subnetId: string): Desktop['networkInterfaces'] {
  return group.network && subnetId ? [{ networkId: group.network.networkId, subnetId }] : [];
}
