import { create } from '@bufbuild/protobuf';
import { RoleService } from '../../../gen/yandex/cloud/iam/v1/role_service_pb.js';
import { RoleSchema } from '../../../gen/yandex/cloud/iam/v1/role_pb.js';
import { rpc } from '../../../api/service.js';
import { roleById } from '../../../domain/iam/roles.js';
import { NotFoundError } from '../../../domain/errors.js';

export const get = rpc(RoleService.method.get, {
  auth: 'authenticated',
  handler: () => async (req) => {
    const role = roleById(req.roleId);
    if (!role) throw new NotFoundError(`Role ${req.roleId} not found`);
    return create(RoleSchema, { id: role.id, description: role.description });
  },
});
