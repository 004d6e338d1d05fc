import { create } from '@bufbuild/protobuf';
import { DesktopService, RdpFileResponseSchema } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_service_pb.js';
import { res, use } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { DESKTOP } from '../domain/desktop.js';
import { userOf } from './to-wire.js';
import { DESKTOPS, type Deps } from './deps.js';

export const getRdpFile = rpc(DesktopService.method.getRdpFile, {
  auth: [use(DESKTOPS, res(DESKTOP, 'desktop_id'), { owner: true })],
  audit: 'GenerateDesktopRDPFile',
  handler: ({ access }: Deps) => async (req, call) => {
    const file = await access.rdpFile(req.desktopId, req.user ? userOf(req.user) : undefined, call.caller);
    return create(RdpFileResponseSchema, file);
  },
});
