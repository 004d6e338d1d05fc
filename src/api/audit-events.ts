/**
 * The Audit Trails event of every audited RPC, gathered from the services' declarations: an
 * RPC's `audit` name, its service's `event_source` and the id prefix of its events.
 *
 *   const catalog = new AuditCatalog(auditEventTypes(SERVICES), DESCRIPTORS);
 */
import type { DescService } from '@bufbuild/protobuf';
import type { AuditEventType } from '../domain/audit/event-types.js';
import { rpcOf, type ServiceDefinition } from './service.js';

export function auditEventTypes(services: readonly ServiceDefinition<DescService, unknown>[]): Map<string, AuditEventType> {
  const out = new Map<string, AuditEventType>();
  for (const def of services) {
    for (const m of def.service.methods) {
      const name = rpcOf(def as never, m).audit;
      if (!name) continue;
      if (!def.auditSource || !def.eventIdPrefix) throw new Error(`${def.service.typeName}: an audited RPC needs auditSource and eventIdPrefix`);
      out.set(`/${def.service.typeName}/${m.name}`, { source: def.auditSource, name, idPrefix: def.eventIdPrefix });
    }
  }
  return out;
}
