/**
 * What a desktop group is made of, from a request: defaults for absent specs and the checks that
 * need the store or a library (docs/decisions.md point 15). Defaults: 4 GiB memory, 2 cores,
 * core fraction 100; boot disk SSD of the image's min_disk_size; no data disk; manual update
 * policy; persistent desktops; max_desktops_amount 0 means 512.
 *
 *   const image = await imageFor(tx, req.desktopImageId, folderId, systemFolderId);
 *   const spec = groupSpec(input, image);   // throws INVALID_ARGUMENT naming the field
 */
import { Cron } from 'croner';
import type { Repos } from '../../../domain/store.js';
import { FailedPreconditionError, InvalidArgumentError, NotFoundError, type FieldViolation } from '../../../domain/errors.js';
import type { DesktopImage } from '../../desktop-image/domain/desktop-image.js';
import { MAX_DESKTOPS, type DesktopGroup, type DiskSpec, type GroupConfig, type Lifetime, type NetworkSpec, type ResourcesSpec, type UpdatePolicy } from './desktop-group.js';

export interface GroupSpecInput {
  resources?: ResourcesSpec;
  network?: NetworkSpec;
  bootDisk?: DiskSpec;
  dataDisk?: DiskSpec;
  config?: GroupConfig;
  updatePolicy?: UpdatePolicy;
}

export type GroupSpec = Pick<DesktopGroup, 'resources' | 'network' | 'bootDisk' | 'dataDisk' | 'config' | 'updatePolicy'>;

const GIB = 1024 ** 3;

/** The image a group names: in the group's folder or the system folder, and ACTIVE. */
export async function imageFor(tx: Repos, imageId: string, folderId: string, systemFolderId: string): Promise<DesktopImage> {
  const image = await tx.desktopImages.get(imageId);
  if (!image || (image.folderId !== folderId && image.folderId !== systemFolderId)) {
    throw new NotFoundError(`Desktop image ${imageId} not found`);
  }
  if (image.status !== 'ACTIVE') throw new FailedPreconditionError(`Desktop image ${imageId} is not active (status ${image.status})`);
  return image;
}

/** Absent specs get their defaults; the result is checked against the image. */
export function groupSpec(input: GroupSpecInput, image: DesktopImage): GroupSpec {
  const config: GroupConfig = input.config ?? { minReadyDesktops: 0, maxDesktopsAmount: 0, desktopType: 'PERSISTENT', members: [], lifetime: null };
  const spec: GroupSpec = {
    resources: input.resources
      ? { ...input.resources, coreFraction: input.resources.coreFraction || 100 }
      : { memory: 4 * GIB, cores: 2, coreFraction: 100 },
    network: input.network ?? null,
    bootDisk: input.bootDisk ?? { type: 'SSD', size: image.minDiskSize },
    dataDisk: input.dataDisk ?? null,
    config: { ...config, lifetime: config.lifetime && hasSchedule(config.lifetime) ? config.lifetime : null },
    updatePolicy: input.updatePolicy ?? 'MANUAL',
  };
  checkSpec(spec, image);
  return spec;
}

export function checkSpec(spec: GroupSpec, image: DesktopImage): void {
  const violations: FieldViolation[] = [];
  if (spec.bootDisk.size < image.minDiskSize) {
    violations.push({ field: 'boot_disk_spec.size', description: `Value must be at least the min_disk_size of desktop image ${image.id} (${image.minDiskSize} bytes)` });
  }
  const max = spec.config.maxDesktopsAmount === 0 ? MAX_DESKTOPS : spec.config.maxDesktopsAmount;
  if (spec.config.minReadyDesktops > max) {
    violations.push({ field: 'group_config.min_ready_desktops', description: `Value must not exceed max_desktops_amount (${max})` });
  }
  if (spec.config.lifetime) violations.push(...lifetimeViolations(spec.config.lifetime));
  if (violations.length > 0) throw new InvalidArgumentError(violations);
}

function hasSchedule(l: Lifetime): boolean {
  return l.cronStart !== '' || l.cronStop !== '';
}

/** An IANA time zone (UTC when empty) and cron expressions croner accepts. */
function lifetimeViolations(l: Lifetime): FieldViolation[] {
  const out: FieldViolation[] = [];
  const field = 'group_config.lifetime';
  if (l.timeZone !== '') {
    try {
      new Intl.DateTimeFormat('en', { timeZone: l.timeZone });
    } catch {
      out.push({ field: `${field}.time_zone`, description: `Unknown time zone ${JSON.stringify(l.timeZone)}; use an IANA name such as Europe/Moscow` });
    }
  }
  for (const [name, expr] of [['cron_start', l.cronStart], ['cron_stop', l.cronStop]] as const) {
    if (expr === '') continue;
    try {
      new Cron(expr, { paused: true });
    } catch (err) {
      out.push({ field: `${field}.${name}`, description: `Invalid cron expression: ${(err as Error).message.replace(/^CronPattern: /, '')}` });
    }
  }
  return out;
}
