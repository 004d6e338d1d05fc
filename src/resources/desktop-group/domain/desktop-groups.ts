/**
 * Desktop group use cases (docs/decisions.md point 15): Get, List, ListDesktops,
 * ListOperations, Create, Update and Delete. Create needs an ACTIVE desktop image of the folder
 * or the system folder; names are unique per folder. Delete removes the group's desktops in the
 * same operation, and waits for no capture: a desktop being copied blocks it.
 *
 *   const op = await groups.create({ folderId, desktopImageId, name, ... }, caller);
 */
import type { Repos, Store } from '../../../domain/store.js';
import type { Clock } from '../../../clock.js';
import type { Caller } from '../../../domain/caller.js';
import { idFor } from '../../../domain/resource.js';
import type { Operation } from '../../../domain/operation/operation.js';
import type { Operations } from '../../../domain/operation/operations.js';
import type { OperationRunner } from '../../../domain/operation/runner.js';
import { AlreadyExistsError, FailedPreconditionError, NotFoundError } from '../../../domain/errors.js';
import { checkFolderId } from '../../../domain/folders.js';
import { listPage, type ListRequest, type ListResult, type PageRequest } from '../../../domain/listing/list-request.js';
import type { Pager } from '../../../domain/listing/pager.js';
import { applyUpdateMask } from '../../../domain/update-mask.js';
import { DESKTOP_LIST, type Desktop, type DesktopStatus } from '../../desktop/domain/desktop.js';
import type { DesktopQuota } from '../../desktop/domain/quota.js';
import { DESKTOP_GROUP, DESKTOP_GROUP_LIST, type DesktopGroup } from './desktop-group.js';
import { GROUP_OPS } from './kinds.js';
import { groupSpec, imageFor, type GroupSpec, type GroupSpecInput } from './spec.js';

export interface CreateGroupInput extends GroupSpecInput {
  folderId: string;
  desktopImageId: string;
  name: string;
  description: string;
  labels: Record<string, string>;
}

export interface UpdateGroupInput extends GroupSpecInput {
  desktopGroupId: string;
  /** snake_case paths; empty = replace every updatable field. */
  paths: string[];
  desktopImageId: string;
  name: string;
  description: string;
  labels: Record<string, string>;
}

const UPDATABLE = [
  'desktop_image_id', 'name', 'description', 'labels', 'resources_spec', 'group_config', 'boot_disk_spec', 'data_disk_spec',
  'auto_update_policy', 'manual_update_policy',
] as const;

const details = (g: DesktopGroup) => DESKTOP_GROUP.details!(g);

export class DesktopGroups {
  constructor(
    private readonly store: Store,
    private readonly runner: OperationRunner,
    private readonly pager: Pager,
    private readonly clock: Clock,
    private readonly operations: Operations,
    private readonly quota: DesktopQuota,
    private readonly systemFolderId: string,
  ) {}

  async get(id: string): Promise<DesktopGroup> {
    const group = await this.store.read((tx) => tx.desktopGroups.get(id));
    if (!group) throw new NotFoundError(`Desktop group ${id} not found`);
    return group;
  }

  async list(req: ListRequest): Promise<ListResult<DesktopGroup>> {
    checkFolderId(req.folderId, 'folder_id');
    return listPage(this.pager, req, DESKTOP_GROUP_LIST, (q) => this.store.read((tx) => tx.desktopGroups.list(q)));
  }

  /** `req.folderId` holds the group id; a caller who holds only useOwn sees its own desktops. */
  async listDesktops(req: ListRequest): Promise<ListResult<Desktop>> {
    await this.get(req.folderId);
    return listPage(this.pager, req, { ...DESKTOP_LIST, kind: 'group-desktop' }, (q) => this.store.read((tx) => tx.desktops.listInGroup(req.folderId, q)));
  }

  async listOperations(id: string, req: PageRequest): Promise<ListResult<Operation>> {
    await this.get(id);
    return this.operations.ofResource(id, req, 'desktop-group-operations');
  }

  async create(input: CreateGroupInput, caller: Caller): Promise<Operation> {
    checkFolderId(input.folderId, 'folder_id');
    return this.runner.submit(caller, GROUP_OPS.create, async (tx) => {
      const image = await imageFor(tx, input.desktopImageId, input.folderId, this.systemFolderId);
      const spec = groupSpec(input, image);
      await this.checkName(tx, input.folderId, input.name);
      await this.quota.checkGroups(tx, input.folderId, spec, spec.config.minReadyDesktops);
      const group: DesktopGroup = {
        id: idFor(DESKTOP_GROUP),
        folderId: input.folderId,
        createdAt: this.clock.now(),
        status: 'CREATING',
        name: input.name,
        description: input.description,
        labels: input.labels,
        desktopImageId: image.id,
        ...spec,
      };
      await tx.desktopGroups.insert(group);
      return { resourceId: group.id, folderId: group.folderId, details: details(group) };
    });
  }

  async update(input: UpdateGroupInput, caller: Caller): Promise<Operation> {
    const patch = applyUpdateMask(input.paths, UPDATABLE, {
      desktop_image_id: input.desktopImageId, name: input.name, description: input.description, labels: input.labels,
      resources_spec: input.resources, group_config: input.config, boot_disk_spec: input.bootDisk, data_disk_spec: input.dataDisk,
      auto_update_policy: input.updatePolicy, manual_update_policy: input.updatePolicy,
    });
    return this.runner.submit(caller, GROUP_OPS.update, async (tx) => {
      const group = await this.existing(tx, input.desktopGroupId);
      if (group.status !== 'ACTIVE') throw new FailedPreconditionError(`Desktop group ${group.id} is ${group.status}`);
      // An image is always needed: an empty desktop_image_id keeps the current one.
      const imageId = patch.desktop_image_id || group.desktopImageId;
      const image = await imageFor(tx, imageId, group.folderId, this.systemFolderId);
      const updated: DesktopGroup = {
        ...group,
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.description !== undefined && { description: patch.description }),
        ...(patch.labels !== undefined && { labels: patch.labels }),
        desktopImageId: image.id,
        ...specPatch(group, patch, image),
      };
      if (updated.name !== group.name) await this.checkName(tx, group.folderId, updated.name);
      if (RESHAPING.some((path) => path in patch)) await this.quota.checkReshape(tx, group.folderId, group.id, updated);
      const reimaging: Record<string, DesktopStatus> = {};
      if (updated.updatePolicy === 'AUTO' && updated.desktopImageId !== group.desktopImageId) {
        const desktops = await tx.desktops.allInGroup(group.id);
        checkNoneCopying(group.id, desktops);
        // The desktops to re-image are UPDATING from now until each is done, as under
        // DesktopService.Update (point 16): no Start, Stop or Delete meanwhile.
        for (const d of desktops) {
          if (d.status !== 'ACTIVE' && d.status !== 'STOPPED') continue;
          reimaging[d.id] = d.status;
          await tx.desktops.update({ ...d, status: 'UPDATING' });
        }
      }
      await tx.desktopGroups.update({ ...group, status: 'UPDATING' });
      return { resourceId: group.id, folderId: group.folderId, details: details(group), params: { updated: { ...updated, createdAt: undefined }, reimaging } };
    });
  }

  async delete(id: string, caller: Caller): Promise<Operation> {
    return this.runner.submit(caller, GROUP_OPS.delete, async (tx) => {
      const group = await this.existing(tx, id);
      // Not while an Update runs either: its job re-images the desktops Delete would tear down.
      if (group.status !== 'ACTIVE') throw new FailedPreconditionError(`Desktop group ${id} is ${group.status}`);
      checkNoneCopying(id, await tx.desktops.allInGroup(id));
      await tx.desktopGroups.update({ ...group, status: 'DELETING' });
      return { resourceId: group.id, folderId: group.folderId, details: details(group) };
    });
  }

  private async existing(tx: Repos, id: string): Promise<DesktopGroup> {
    const group = await tx.desktopGroups.get(id);
    if (!group) throw new NotFoundError(`Desktop group ${id} not found`);
    return group;
  }

  private async checkName(tx: Repos, folderId: string, name: string): Promise<void> {
    if (name !== '' && (await tx.desktopGroups.findByName(folderId, name))) {
      throw new AlreadyExistsError(`Desktop group with name ${name} already exists in folder ${folderId}`);
    }
  }
}

/** Update mask paths that change what each desktop of the group takes from the folder's quotas. */
const RESHAPING = ['resources_spec', 'boot_disk_spec', 'data_disk_spec'];

/** A desktop being captured blocks what would tear it down or re-image it (point 18). */
function checkNoneCopying(groupId: string, desktops: readonly Desktop[]): void {
  const copying = desktops.find((d) => d.lockedBy);
  if (copying) throw new FailedPreconditionError(`Desktop ${copying.id} of desktop group ${groupId} is being copied to desktop image ${copying.lockedBy}`);
}

/** The specs an update replaces: given ones as given, cleared ones back to their defaults. */
function specPatch(group: DesktopGroup, patch: Record<string, unknown>, image: Parameters<typeof groupSpec>[1]): GroupSpec {
  const given = <T>(path: string, current: T): T | undefined => (path in patch ? (patch[path] as T | undefined) : current);
  const defaults = groupSpec({}, image);
  const spec: GroupSpec = {
    resources: given('resources_spec', group.resources) ?? defaults.resources,
    network: group.network,
    bootDisk: given('boot_disk_spec', group.bootDisk) ?? defaults.bootDisk,
    dataDisk: 'data_disk_spec' in patch ? ((patch['data_disk_spec'] as GroupSpec['dataDisk'] | undefined) ?? null) : group.dataDisk,
    config: given('group_config', group.config) ?? defaults.config,
    updatePolicy: (patch['auto_update_policy'] ?? patch['manual_update_policy'] ?? group.updatePolicy) as GroupSpec['updatePolicy'],
  };
  return groupSpec({ ...spec, network: spec.network ?? undefined, dataDisk: spec.dataDisk ?? undefined }, image);
}
