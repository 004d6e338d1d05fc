import { create } from '@bufbuild/protobuf';
import { ListRolesResponseSchema, RoleService } from '../../../gen/yandex/cloud/iam/v1/role_service_pb.js';
import { rpc } from '../../../api/service.js';
import { ROLES } from '../../../domain/iam/roles.js';
import { parseFilter } from '../../../domain/listing/filter.js';
import { Pager } from '../../../domain/listing/pager.js';
import { pageScope } from '../../../domain/listing/page-scope.js';
import type { Deps } from './deps.js';

/** `filter` takes conditions on `id`; the page token is an offset, signed and bound to the filter. */
export const list = rpc(RoleService.method.list, {
  auth: 'authenticated',
  handler: ({ pager }: Deps) => async (req) => {
    const filter = parseFilter(req.filter, ['id']);
    const matching = ROLES.filter((r) => filter.every((c) => c.values.includes(r.id) === (c.op === '=' || c.op === 'IN')));
    const size = Pager.pageSize(Number(req.pageSize));
    const scope = pageScope({ folderId: '', filter, order: [], extra: 'roles' });
    const offset = Number((await pager.resolve(req.pageToken, scope))?.[0] ?? 0);
    const page = matching.slice(offset, offset + size);
    const more = offset + size < matching.length;
    return create(ListRolesResponseSchema, {
      roles: page.map((r) => ({ id: r.id, description: r.description })),
      nextPageToken: await pager.issue(scope, more ? [offset + size] : undefined),
    });
  },
});
