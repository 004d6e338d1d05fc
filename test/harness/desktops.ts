/**
 * Desktop groups and desktops for tests, through the official SDK clients: a desktop image to
 * build groups from, then groups and desktops waited to the end of their operations.
 *
 *   const kit = await desktopKit(sdk, src, 'f-desk');
 *   const group = await kit.group({ name: 'g', groupConfig: { maxDesktopsAmount: 5 } });
 *   const desktop = await kit.desktop(group.id, ['alice']);
 */
import assert from 'node:assert/strict';
import { cloudDesktop, compute, waitDone, type SdkClients } from './sdk.js';
import type { ImageSource } from './image-source.js';
import { waitFor } from './wait.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Msg = any;

export const Desktop = cloudDesktop.desktop.Desktop;
export const DesktopStatus = cloudDesktop.desktop.Desktop_Status;
export const DesktopGroup = cloudDesktop.desktopGroup.DesktopGroup;
export const DesktopImage = cloudDesktop.desktopImage.DesktopImage;
export const ImageStatus = cloudDesktop.desktopImage.DesktopImage_Status;
export const GroupStatus = cloudDesktop.desktopGroup.DesktopGroup_Status;
export const DesktopType = cloudDesktop.desktopGroup.DesktopGroupConfiguration_DesktopType;
const metadataOf = (op: Msg) => cloudDesktop.desktopService.CreateDesktopMetadata.decode(op.metadata.value);

/** The virtual size of the kit's image, which is also its min_disk_size. */
export const IMAGE_SIZE = 1024 ** 3;

/** A user as DesktopService wants it: a service account id. */
export const user = (subjectId: string) => ({ subjectId, subjectType: 'serviceAccount' });

export interface DesktopKit {
  folderId: string;
  /** An ACTIVE desktop image of folderId. */
  imageId: string;
  /** A new ACTIVE desktop image of folderId, copied from a raw Compute image of `size` bytes. */
  image(name: string, size: number): Promise<Msg>;
  /** A done DesktopGroupService.Create; the group as its response has it. */
  group(extra?: Record<string, unknown>): Promise<Msg>;
  /** A done DesktopService.Create of `users` in `groupId`; the desktop as its response has it. */
  desktop(groupId: string, users?: string[], extra?: Record<string, unknown>): Promise<Msg>;
  /** Runs a desktop operation (stop, start, ...) to its end without error. */
  power(action: string, desktopId: string): Promise<Msg>;
  /** The desktop id a Create operation names in its metadata. */
  desktopIdOf(op: Msg): string;
  /** Waits for the desktop to show `status`. */
  until(desktopId: string, status: number): Promise<Msg>;
}

let n = 0;

export async function desktopKit(sdk: SdkClients, src: ImageSource, folderId: string): Promise<DesktopKit> {
  const cop = await waitDone(sdk, await sdk.images.create({ folderId, name: `kit-base-${++n}`, uri: src.url(`/qcow2?virtual=${IMAGE_SIZE}`) }));
  assert.equal(cop.error, undefined, cop.error?.message);
  const computeImageId = compute.image.Image.decode(cop.response.value).id;
  const dop = await waitDone(sdk, await sdk.desktopImages.copy({ folderId, name: `kit-image-${n}`, imageId: computeImageId }));
  assert.equal(dop.error, undefined, dop.error?.message);
  const imageId = DesktopImage.decode(dop.response.value).id;
  const ended = async (op: Msg, type: Msg): Promise<Msg> => {
    const done = await waitDone(sdk, op);
    assert.equal(done.error, undefined, `${op.description}: ${done.error?.message}`);
    return type.decode(done.response.value);
  };
  return {
    folderId,
    imageId,
    image: async (name, size) => {
      const raw = await ended(await sdk.images.create({ folderId, name: `${name}-raw`, uri: src.url(`/raw?size=${size}`) }), compute.image.Image);
      return ended(await sdk.desktopImages.copy({ folderId, name, imageId: raw.id }), DesktopImage);
    },
    group: async (extra = {}) => ended(await sdk.desktopGroups.create({ folderId, desktopImageId: imageId, name: `group-${++n}`, ...extra }), DesktopGroup),
    desktop: async (groupId, users = ['someone'], extra = {}) =>
      ended(await sdk.desktops.create({ desktopGroupId: groupId, users: users.map(user), ...extra }), Desktop),
    power: async (action, desktopId) => ended(await sdk.desktops[action]({ desktopId }), Desktop),
    desktopIdOf: (op) => metadataOf(op).desktopId,
    until: (desktopId, status) =>
      waitFor(async () => {
        const d = await sdk.desktops.get({ desktopId });
        return d.status === status && d;
      }, { what: `desktop ${desktopId} to be ${DesktopStatus[status]}` }),
  };
}

/** The server's rpc log lines that ended INTERNAL or UNKNOWN (there must be none). */
export function internalErrors(logs: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return logs.filter((l) => l['msg'] === 'rpc' && [2, 13, 'UNKNOWN', 'INTERNAL'].includes(l['code'] as string | number));
}
