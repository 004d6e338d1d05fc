/**
 * yandex.cloud.iam.v1.RoleService: the global role catalogue (domain/iam/roles.ts). `filter`
 * takes conditions on `id` in the listing grammar; page tokens are the usual server-side
 * cursors, bound to the filter.
 */
import { create } from '@bufbuild/protobuf';
import type { Router } from '../../transport/rpc.js';
import { ListRolesResponseSchema, RoleService } from '../../gen/yandex/cloud/iam/v1/role_service_pb.js';
import { RoleSchema } from '../../gen/yandex/cloud/iam/v1/role_pb.js';
import { ROLES, roleById } from '../../domain/iam/roles.js';
import { NotFoundError } from '../../domain/errors.js';
import { parseFilter } from '../../domain/listing/filter.js';
import { Pager } from '../../domain/listing/pager.js';
import { pageScope } from '../../domain/listing/page-scope.js';

export function registerRoleService(router: Router, pager: Pager): void {
  router.add(RoleService, {
    get: async (req) => {
      const role = roleById(req.roleId);
      if (!role) throw new NotFoundError(`Role ${req.roleId} not found`);
      return create(RoleSchema, { id: role.id, description: role.description });
    },
    list: async (req) => {
      const filter = parseFilter(req.filter, ['id']);
      const matching = ROLES.filter((r) =>
        filter.every((c) => c.values.includes(r.id) === (c.op === '=' || c.op === 'IN')));
      const size = Pager.pageSize(req.pageSize);
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
}
