import { create } from '@bufbuild/protobuf';
import { DesktopService, ResetPasswordResponseSchema } from '../../../gen/yandex/cloud/clouddesktop/v1/desktop_service_pb.js';
import { res, use } from '../../../api/authz/rules.js';
import { rpc } from '../../../api/service.js';
import { OWNED_BY } from '../../../api/caller.js';
import { DESKTOP } from '../domain/desktop.js';
import { userOf } from './to-wire.js';
import { DESKTOPS, type Deps } from './deps.js';

/** Synchronous: the password is in the reply, once, and never stored or logged. */
export const resetPassword = rpc(DesktopService.method.resetPassword, {
  auth: [use(DESKTOPS, res(DESKTOP, 'desktop_id'), { owner: true })],
  audit: 'ResetDesktopPassword',
  handler: ({ access }: Deps) => async (req, call) =>
    create(ResetPasswordResponseSchema, {
      password: await access.resetPassword(req.desktopId, userOf(req.user!), call.caller, call.ctx.values.get(OWNED_BY)),
    }),
});
