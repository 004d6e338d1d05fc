import { DesktopGroupService } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_group_service_pb.js';
import { folder, write } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { configOf, diskOf, networkOf, resourcesOf } from './to-wire.js';
import { DESKTOPS, type Deps } from './deps.js';

export const create = rpc(DesktopGroupService.method.create, {
  auth: [write(DESKTOPS, folder())],
  audit: 'CreateDesktopGroup',
  handler: ({ groups }: Deps) => (req, call) =>
    groups.create(
      {
        folderId: req.folderId, desktopImageId: req.desktopImageId, name: req.name, description: req.description, labels: { ...req.labels },
        resources: resourcesOf(req.resourcesSpec), network: networkOf(req.networkInterfaceSpec), bootDisk: diskOf(req.bootDiskSpec),
        dataDisk: diskOf(req.dataDiskSpec), config: configOf(req.groupConfig),
      },
      call.caller,
    ),
});
