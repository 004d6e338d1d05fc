/** Domain desktop groups ↔ yandex.cloud.clouddesktop.v1.api messages. */
import { create } from '@bufbuild/protobuf';
import { DesktopGroupSchema, DesktopGroup_Status, DesktopGroupConfiguration_DesktopType, type DesktopGroup as WireDesktopGroup, type DesktopGroupConfiguration, type NetworkInterfaceSpec, type ResourcesSpec as WireResources } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_group_pb.js';
import { DiskSpec_Type, type DiskSpec as WireDiskSpec } from '../../../gen/yandex/cloud/clouddesktop/v1/disk_pb.js';
import { ts } from '../../../api/wire.js';
import type { DesktopGroup, DiskSpec, GroupConfig, NetworkSpec, ResourcesSpec } from '../domain/desktop-group.js';

const disk = (d: DiskSpec) => ({ type: DiskSpec_Type[d.type], size: BigInt(d.size) });

export function desktopGroupToWire(g: DesktopGroup): WireDesktopGroup {
  const c = g.config;
  return create(DesktopGroupSchema, {
    id: g.id,
    folderId: g.folderId,
    createdAt: ts(g.createdAt),
    status: DesktopGroup_Status[g.status],
    name: g.name,
    description: g.description,
    resourcesSpec: { memory: BigInt(g.resources.memory), cores: BigInt(g.resources.cores), coreFraction: BigInt(g.resources.coreFraction) },
    networkInterfaceSpec: g.network ?? undefined,
    labels: g.labels,
    bootDiskSpec: disk(g.bootDisk),
    dataDiskSpec: g.dataDisk ? disk(g.dataDisk) : undefined,
    groupConfig: {
      minReadyDesktops: BigInt(c.minReadyDesktops),
      maxDesktopsAmount: BigInt(c.maxDesktopsAmount),
      desktopType: DesktopGroupConfiguration_DesktopType[c.desktopType],
      members: c.members,
      lifetime: c.lifetime ?? undefined,
    },
    updatePolicy: g.updatePolicy === 'AUTO' ? { case: 'autoUpdatePolicy', value: {} } : { case: 'manualUpdatePolicy', value: {} },
  });
}

export function resourcesOf(r: WireResources | undefined): ResourcesSpec | undefined {
  return r && { memory: Number(r.memory), cores: Number(r.cores), coreFraction: Number(r.coreFraction) };
}

export function networkOf(n: NetworkInterfaceSpec | undefined): NetworkSpec | undefined {
  return n && { networkId: n.networkId, subnetIds: [...n.subnetIds] };
}

export function diskOf(d: WireDiskSpec | undefined): DiskSpec | undefined {
  return d && { type: d.type === DiskSpec_Type.HDD ? 'HDD' : 'SSD', size: Number(d.size) };
}

export function configOf(c: DesktopGroupConfiguration | undefined): GroupConfig | undefined {
  return c && {
    minReadyDesktops: Number(c.minReadyDesktops),
    maxDesktopsAmount: Number(c.maxDesktopsAmount),
    desktopType: c.desktopType === DesktopGroupConfiguration_DesktopType.NON_PERSISTENT ? 'NON_PERSISTENT' : 'PERSISTENT',
    members: c.members.map((m) => ({ id: m.id, type: m.type })),
    lifetime: c.lifetime ? { timeZone: c.lifetime.timeZone, cronStart: c.lifetime.cronStart, cronStop: c.lifetime.cronStop } : null,
  };
}
