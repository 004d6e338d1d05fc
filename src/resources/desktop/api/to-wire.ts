/** Domain desktop → yandex.cloud.clouddesktop.v1.api.Desktop, and wire users → domain. */
import { create } from '@bufbuild/protobuf';
import { DesktopSchema, Desktop_Status, type Desktop as WireDesktop, type User } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_pb.js';
import type { Desktop, DesktopUser } from '../domain/desktop.js';
import { ts } from '../../../api/wire.js';

export function desktopToWire(d: Desktop): WireDesktop {
  return create(DesktopSchema, {
    id: d.id,
    folderId: d.folderId,
    desktopGroupId: d.desktopGroupId,
    createdAt: ts(d.createdAt),
    status: Desktop_Status[d.status],
    name: d.name,
    resources: { memory: BigInt(d.resources.memory), cores: BigInt(d.resources.cores), coreFraction: BigInt(d.resources.coreFraction) },
    networkInterfaces: d.networkInterfaces,
    users: d.users,
    labels: d.labels,
    description: d.description,
  });
}

export function userOf(u: User): DesktopUser {
  return { subjectId: u.subjectId, subjectType: u.subjectType };
}
