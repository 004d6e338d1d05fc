/** Endpoint discovery: ApiEndpointService over the fixed list of APIs clouddesk serves. */
import { definePart, type Module } from '../../module.js';
import { registerService } from '../../api/service.js';
import type { OperationWire } from '../../api/operation-wire.js';
import type { Where } from './domain/endpoints.js';
import { endpointService } from './api/service.js';

export const endpointPart = definePart({ name: 'endpoint', service: endpointService });

/** `where` is read per call: the bound port is known only once the listener is up. */
export function endpointModule(d: { where: () => Where; wire: OperationWire }): Module {
  return { name: 'endpoint', register: (router) => registerService(router, endpointService, { where: d.where }, d.wire) };
}
