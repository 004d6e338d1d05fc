/** What the ApiEndpointService handlers need: where clouddesk listens, known once it does. */
import type { Where } from '../domain/endpoints.js';
import type { CallContext } from '../../../transport/rpc.js';
import { endpointAddress } from '../domain/endpoints.js';

export interface Deps {
  readonly where: () => Where;
}

/** The address to answer this caller: gRPC gives `:authority`, HTTP/1.1 the Host header. */
export function addressFor(deps: Deps, ctx: CallContext): string {
  return endpointAddress(deps.where(), ctx.header(':authority') ?? ctx.header('host'));
}
