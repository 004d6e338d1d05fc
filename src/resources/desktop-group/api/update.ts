import { DesktopGroupService } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_group_service_pb.js';
import { res, write } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { DESKTOP_GROUP } from '../domain/desktop-group.js';
import { configOf, diskOf, resourcesOf } from './to-wire.js';
import { DESKTOPS, type Deps } from './deps.js';

export const update = rpc(DesktopGroupService.method.update, {
  auth: [write(DESKTOPS, res(DESKTOP_GROUP, 'desktop_group_id'))],
  audit: 'UpdateDesktopGroup',
  handler: ({ groups }: Deps) => (req, call) =>
    groups.update(
      {
        desktopGroupId: req.desktopGroupId, paths: req.updateMask?.paths ?? [], desktopImageId: req.desktopImageId,
        name: req.name, description: req.description, labels: { ...req.labels },
        resources: resourcesOf(req.resourcesSpec), bootDisk: diskOf(req.bootDiskSpec), dataDisk: diskOf(req.dataDiskSpec),
        config: configOf(req.groupConfig),
        updatePolicy: req.updatePolicy.case === 'autoUpdatePolicy' ? 'AUTO' : req.updatePolicy.case === 'manualUpdatePolicy' ? 'MANUAL' : undefined,
      },
      call.caller,
    ),
});
