/** Roles: RoleService over the static catalogue. */
import { definePart, type Module } from '../../module.js';
import type { Pager } from '../../domain/listing/pager.js';
import { registerService } from '../../api/service.js';
import type { OperationWire } from '../../api/operation-wire.js';
import { roleService } from './api/service.js';

export const rolePart = definePart({ name: 'role', service: roleService });

export function roleModule(d: { pager: Pager; wire: OperationWire }): Module {
  return { name: 'role', register: (router) => registerService(router, roleService, { pager: d.pager }, d.wire) };
}
