/** yandex.cloud.iam.v1.RoleService: the global role catalogue (domain/iam/roles.ts). */
import { RoleService } from '../../../gen/yandex/cloud/iam/v1/role_service_pb.js';
import { defineService } from '../../../api/service.js';
import { get } from './get.js';
import { list } from './list.js';

export const roleService = defineService(RoleService, { rpcs: { get, list } });
