/**
 * THE authorization table: for every RPC the router serves, what the caller needs, gathered
 * from the rules each RPC declares beside its handler (api/service.ts, rules.ts). Data only:
 * authorize.ts enforces it and its test walks it for every role. Start-up refuses a router
 * method without a rule (fail closed).
 *
 *   const table = authzTable(SERVICES);   // Map<'/pkg.Service/Method', Rule>
 */
import type { DescService } from '@bufbuild/protobuf';
import { rpcOf, type ServiceDefinition } from '../service.js';
import type { Rule } from './rules.js';

export type AuthzTable = ReadonlyMap<string, Rule>;

export function authzTable(services: readonly ServiceDefinition<DescService, unknown>[]): AuthzTable {
  return new Map(
    services.flatMap((def) => def.service.methods.map((m) => [`/${def.service.typeName}/${m.name}`, rpcOf(def as never, m).auth] as const)),
  );
}
