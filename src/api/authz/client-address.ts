/**
 * The address a call comes from, for throttling failed authentication: the TCP peer, or with
 * `--trust-proxy` the right-most X-Forwarded-For entry (the one the proxy in front of us
 * appended; entries further left are whatever the client claimed).
 *
 *   const address = clientAddress(ctx, config.trustProxy);   // '10.0.0.1'
 */
import type { CallContext } from '../../transport/rpc.js';
import { addressOf } from '../interceptors/audit-context.js';

export function clientAddress(ctx: CallContext, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = ctx.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded.slice(0, 64);
  }
  return addressOf(ctx.peer);
}
